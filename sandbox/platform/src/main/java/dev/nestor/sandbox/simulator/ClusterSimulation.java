package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Cluster API Cluster controller: finalizer, ownership of the control plane and infrastructure cluster, the
 * control-plane endpoint copied from the control plane, and the v1beta2 status (phase, initialization, conditions,
 * replica summaries).
 */
final class ClusterSimulation {

    private ClusterSimulation() {
    }

    /** Returns whether the other controllers may proceed (not while the finalizer is being added). */
    static boolean reconcile(Reconciliation r) {
        Observed o = r.observed;
        GenericKubernetesResource cluster = o.cluster;
        if (!Fields.hasFinalizer(cluster, Labels.CLUSTER_FINALIZER)) {
            List<String> finalizers = new ArrayList<>(Objects.requireNonNullElse(
                    cluster.getMetadata().getFinalizers(), List.of()));
            finalizers.add(Labels.CLUSTER_FINALIZER);
            r.api.setFinalizers(Kind.CLUSTER, cluster, finalizers, Managers.CAPI);
            return false;
        }
        if (o.controlPlane != null) {
            Owners.ensureClusterOwned(r.api, Kind.KAMAJI_CONTROL_PLANE, o.controlPlane, cluster);
        }
        if (o.infraCluster != null) {
            Owners.ensureClusterOwned(r.api, Kind.KUBEVIRT_CLUSTER, o.infraCluster, cluster);
        }
        Map<String, Object> endpoint = o.controlPlane == null ? Map.of()
                : Fields.map(o.controlPlane, "spec", "controlPlaneEndpoint");
        if (endpoint.get("host") != null && !Api.sameJson(Fields.at(cluster, "spec", "controlPlaneEndpoint"),
                endpoint)) {
            r.api.mergePatch(Kind.CLUSTER, cluster.getMetadata().getNamespace(), Fields.name(cluster),
                    Map.of("spec", Map.of("controlPlaneEndpoint", endpoint)), Managers.CAPI);
        }
        r.api.applyStatus(Kind.CLUSTER, cluster, status(r, null), Managers.CAPI);
        return true;
    }

    /**
     * The Cluster's status as observed; {@code deletingReason} is set while the Cluster is being deleted (the layer
     * deletion is waiting for).
     */
    static Map<String, Object> status(Reconciliation r, String deletingReason) {
        Observed o = r.observed;
        GenericKubernetesResource cluster = o.cluster;
        GenericKubernetesResource kcp = o.controlPlane;
        boolean infraReady = o.infraCluster != null && Fields.isTrue(o.infraCluster, "status", "ready");
        boolean infraProvisioned = infraReady
                || Fields.isTrue(cluster, "status", "initialization", "infrastructureProvisioned");
        boolean cpInitialized = (kcp != null && Fields.isTrue(kcp, "status", "initialization",
                "controlPlaneInitialized"))
                || Fields.isTrue(cluster, "status", "initialization", "controlPlaneInitialized");
        boolean cpAvailable = kcp != null
                && Conditions.isTrue(Fields.list(kcp, "status", "conditions"), KamajiSimulation.AVAILABLE);
        boolean endpointSet = Fields.string(cluster, "spec", "controlPlaneEndpoint", "host") != null;
        boolean probe = cpInitialized && r.tenants.get(r.key()).isPresent();
        List<GenericKubernetesResource> deployments = o.machineDeployments.stream()
                .filter(md -> !Fields.deleting(md)).toList();
        List<String> unavailableDeployments = deployments.stream()
                .filter(md -> !Conditions.isTrue(Fields.list(md, "status", "conditions"), "Available"))
                .map(Fields::name).toList();
        boolean workersAvailable = unavailableDeployments.isEmpty();
        boolean deleting = deletingReason != null;

        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> initialization = new LinkedHashMap<>();
        if (infraProvisioned) {
            initialization.put("infrastructureProvisioned", true);
        }
        if (cpInitialized) {
            initialization.put("controlPlaneInitialized", true);
        }
        if (!initialization.isEmpty()) {
            status.put("initialization", initialization);
        }
        status.put("phase", deleting ? "Deleting" : infraProvisioned && endpointSet ? "Provisioned" : "Provisioning");
        status.put("observedGeneration", Fields.generation(cluster));
        if (kcp != null) {
            status.put("controlPlane", controlPlaneSummary(kcp));
        }
        status.put("workers", WorkerSummary.of(o, deployments).asMap());

        List<Map<String, Object>> previous = Fields.list(cluster, "status", "conditions");
        Conditions c = Conditions.of(previous, Fields.generation(cluster), r.now);
        List<String> problems = new ArrayList<>();
        if (deleting) {
            problems.add("Cluster is deleting");
        }
        if (!probe) {
            problems.add("Remote connection not established yet");
        }
        if (!infraReady) {
            problems.add("KubevirtCluster status.ready is false");
        }
        if (!cpAvailable) {
            problems.add("Control plane not available");
        }
        if (!workersAvailable) {
            problems.add("MachineDeployments not available: " + String.join(", ", unavailableDeployments));
        }
        c.set("Available", problems.isEmpty(), problems.isEmpty() ? "Available" : "NotAvailable",
                String.join("; ", problems));
        c.set("InfrastructureReady", infraReady, infraReady ? "Ready" : o.infraCluster == null
                ? "InfrastructureDoesNotExist" : "NotReady", infraReady ? "" : "KubevirtCluster status.ready is false");
        c.set("ControlPlaneInitialized", cpInitialized, cpInitialized ? "Initialized" : "NotInitialized",
                cpInitialized ? "" : "Control plane not yet initialized");
        c.set("ControlPlaneAvailable", cpAvailable, cpAvailable ? "Available" : "NotAvailable",
                cpAvailable ? "" : kcp == null ? "KamajiControlPlane does not exist"
                        : Conditions.message(Fields.list(kcp, "status", "conditions"), KamajiSimulation.AVAILABLE));
        c.set("WorkersAvailable", workersAvailable, deployments.isEmpty() ? "NoWorkers"
                : workersAvailable ? "Available" : "NotAvailable",
                workersAvailable ? "" : "MachineDeployments not available: "
                        + String.join(", ", unavailableDeployments));
        c.set("RemoteConnectionProbe", probe, probe ? "ProbeSucceeded" : "ProbeFailed",
                probe ? "" : "Remote connection not established yet");
        c.set("ControlPlaneMachinesReady", true, "NoReplicas", "");
        c.set("ControlPlaneMachinesUpToDate", true, "NoReplicas", "");
        WorkerSummary workers = WorkerSummary.of(o, deployments);
        c.set("WorkerMachinesReady", workers.allReady(), workers.replicas() == 0 ? "NoReplicas"
                : workers.allReady() ? "Ready" : "NotReady",
                workers.allReady() ? "" : "Not all worker machines are ready");
        c.set("WorkerMachinesUpToDate", workers.allUpToDate(), workers.replicas() == 0 ? "NoReplicas"
                : workers.allUpToDate() ? "UpToDate" : "NotUpToDate",
                workers.allUpToDate() ? "" : "Not all worker machines are up to date");
        aggregate(c, deployments, "RollingOut", "RollingOut", "NotRollingOut");
        aggregate(c, deployments, "ScalingUp", "ScalingUp", "NotScalingUp");
        aggregate(c, deployments, "ScalingDown", "ScalingDown", "NotScalingDown");
        c.set("Remediating", false, "NotRemediating", "");
        c.set("Deleting", deleting, deleting ? deletingReason : "NotDeleting", "");
        c.set("Paused", false, "NotPaused", "");
        status.put("conditions", c.build());
        return status;
    }

    private static Map<String, Object> controlPlaneSummary(GenericKubernetesResource kcp) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("desiredReplicas", Fields.integer(kcp, "spec", "replicas").orElse(2));
        for (String counter : List.of("replicas", "readyReplicas", "availableReplicas", "upToDateReplicas")) {
            Fields.integer(kcp, "status", counter).ifPresent(value -> summary.put(counter, value));
        }
        return summary;
    }

    /** True when any MachineDeployment has the condition true, as the Cluster's summary conditions are. */
    private static void aggregate(Conditions c, List<GenericKubernetesResource> deployments, String type,
            String trueReason, String falseReason) {
        List<String> names = deployments.stream()
                .filter(md -> Conditions.isTrue(Fields.list(md, "status", "conditions"), type))
                .map(Fields::name).toList();
        c.set(type, !names.isEmpty(), names.isEmpty() ? falseReason : trueReason,
                names.isEmpty() ? "" : "MachineDeployments: " + String.join(", ", names));
    }
}
