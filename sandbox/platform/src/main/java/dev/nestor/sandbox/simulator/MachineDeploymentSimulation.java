package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Cluster API MachineDeployment controller: one MachineSet per revision of the machine template, scaling through
 * the newest one, rolling updates that replace one Machine at a time (maxSurge 1, maxUnavailable 0 by default), and
 * the v1beta2 status computed from the Machines.
 */
final class MachineDeploymentSimulation {

    private MachineDeploymentSimulation() {
    }

    static void reconcile(Reconciliation r) {
        for (GenericKubernetesResource md : r.observed.machineDeployments) {
            if (Fields.deleting(md)) {
                continue;
            }
            Owners.ensureClusterOwned(r.api, Kind.MACHINE_DEPLOYMENT, md, r.observed.cluster);
            ownTemplates(r, md);
            Integer desired = Fields.integer(md, "spec", "replicas").orElse(null);
            if (desired != null) {
                rollOut(r, md, desired);
            }
            r.api.applyStatus(Kind.MACHINE_DEPLOYMENT, md, status(r, md, desired), Managers.CAPI);
        }
    }

    /** The MachineDeployment controller gives the templates it uses an owner reference to the Cluster. */
    private static void ownTemplates(Reconciliation r, GenericKubernetesResource md) {
        String ns = md.getMetadata().getNamespace();
        GenericKubernetesResource infra = r.api.get(Kind.KUBEVIRT_MACHINE_TEMPLATE, ns,
                Fields.string(md, "spec", "template", "spec", "infrastructureRef", "name"));
        if (infra != null) {
            Owners.ensureClusterOwned(r.api, Kind.KUBEVIRT_MACHINE_TEMPLATE, infra, r.observed.cluster);
        }
        GenericKubernetesResource bootstrap = r.api.get(Kind.KUBEADM_CONFIG_TEMPLATE, ns,
                Fields.string(md, "spec", "template", "spec", "bootstrap", "configRef", "name"));
        if (bootstrap != null) {
            Owners.ensureClusterOwned(r.api, Kind.KUBEADM_CONFIG_TEMPLATE, bootstrap, r.observed.cluster);
        }
    }

    private static void rollOut(Reconciliation r, GenericKubernetesResource md, int desired) {
        String hash = Revisions.hash(md);
        List<GenericKubernetesResource> sets = r.observed.machineSetsOf(md).stream()
                .filter(ms -> !Fields.deleting(ms)).toList();
        GenericKubernetesResource newest = sets.stream()
                .filter(ms -> hash.equals(Fields.label(ms, Labels.TEMPLATE_HASH))).findFirst().orElse(null);
        List<GenericKubernetesResource> old = sets.stream().filter(ms -> ms != newest)
                .sorted(Comparator.comparing(ms -> Objects.requireNonNullElse(
                        ms.getMetadata().getCreationTimestamp(), "")))
                .toList();
        int surge = RolloutStrategy.maxSurge(md, desired);
        int unavailable = RolloutStrategy.maxUnavailable(md, desired);
        int oldReplicas = old.stream().mapToInt(MachineDeploymentSimulation::replicas).sum();

        int newTarget;
        if (oldReplicas == 0) {
            newTarget = desired;
        } else {
            int current = newest == null ? 0 : replicas(newest);
            newTarget = Math.min(desired, Math.max(current, desired + surge - oldReplicas));
        }
        if (newest == null) {
            createMachineSet(r, md, hash, newTarget, surge, sets);
        } else if (replicas(newest) != newTarget) {
            scale(r, newest, newTarget, desired, surge);
        }

        // Old revisions shrink only as far as the available Machines allow (never below desired - maxUnavailable);
        // a MachineSet's surplus Machines are about to go, so they do not count.
        long available = sets.stream().mapToLong(ms -> Math.min(replicas(ms), r.observed.machinesOf(ms).stream()
                .filter(m -> !Fields.deleting(m) && WorkerSummary.condition(m, "Available")).count())).sum();
        long removable = Math.max(0, available - (desired - unavailable));
        for (GenericKubernetesResource ms : old) {
            int replicas = replicas(ms);
            int cut = (int) Math.min(replicas, removable);
            if (cut > 0) {
                scale(r, ms, replicas - cut, desired, surge);
                removable -= cut;
            } else if (replicas == 0 && r.observed.machinesOf(ms).isEmpty()) {
                // A drained old revision is removed, so its templates can be deleted by their owner.
                r.api.delete(Kind.MACHINE_SET, ms.getMetadata().getNamespace(), Fields.name(ms));
            }
        }
    }

    private static void createMachineSet(Reconciliation r, GenericKubernetesResource md, String hash, int replicas,
            int surge, List<GenericKubernetesResource> existing) {
        int revision = existing.stream()
                .map(ms -> Fields.annotation(ms, Labels.REVISION))
                .filter(Objects::nonNull)
                .mapToInt(Integer::parseInt).max().orElse(0) + 1;
        String clusterName = r.key().name();
        Map<String, Object> template = Fields.copy(Fields.map(md, "spec", "template"));
        Map<String, Object> templateMeta = new LinkedHashMap<>(Fields.map(template, "metadata"));
        Map<String, Object> machineLabels = new LinkedHashMap<>(Fields.map(templateMeta, "labels"));
        machineLabels.put(Labels.CLUSTER_NAME, clusterName);
        machineLabels.put(Labels.DEPLOYMENT_NAME, Fields.name(md));
        machineLabels.put(Labels.TEMPLATE_HASH, hash);
        templateMeta.put("labels", machineLabels);
        template.put("metadata", templateMeta);
        Map<String, Object> templateSpec = new LinkedHashMap<>(Fields.map(template, "spec"));
        templateSpec.put("clusterName", clusterName);
        template.put("spec", templateSpec);

        Map<String, Object> selector = Fields.copy(Fields.map(md, "spec", "selector"));
        Map<String, Object> matchLabels = new LinkedHashMap<>(Fields.map(selector, "matchLabels"));
        matchLabels.put(Labels.TEMPLATE_HASH, hash);
        selector.put("matchLabels", matchLabels);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("clusterName", clusterName);
        spec.put("replicas", replicas);
        spec.put("selector", selector);
        spec.put("template", template);

        GenericKubernetesResource ms = new GenericKubernetesResource();
        ObjectMeta meta = new ObjectMeta();
        meta.setName(Revisions.machineSetName(Fields.name(md), hash));
        meta.setNamespace(md.getMetadata().getNamespace());
        Map<String, String> labels = new LinkedHashMap<>();
        Fields.map(templateMeta, "labels").forEach((k, v) -> labels.put(k, String.valueOf(v)));
        meta.setLabels(labels);
        meta.setAnnotations(Map.of(Labels.REVISION, Integer.toString(revision),
                Labels.DESIRED_REPLICAS, Integer.toString(Fields.integer(md, "spec", "replicas").orElse(0)),
                Labels.MAX_REPLICAS, Integer.toString(Fields.integer(md, "spec", "replicas").orElse(0) + surge)));
        meta.setOwnerReferences(List.of(Owners.controller(Kind.MACHINE_DEPLOYMENT, md)));
        ms.setMetadata(meta);
        ms.setAdditionalProperty("spec", spec);
        r.api.apply(Kind.MACHINE_SET, ms, Managers.CAPI);
    }

    private static void scale(Reconciliation r, GenericKubernetesResource ms, int replicas, int desired, int surge) {
        Map<String, Object> annotations = Map.of(Labels.DESIRED_REPLICAS, Integer.toString(desired),
                Labels.MAX_REPLICAS, Integer.toString(desired + surge));
        r.api.mergePatch(Kind.MACHINE_SET, ms.getMetadata().getNamespace(), Fields.name(ms),
                Map.of("metadata", Map.of("annotations", annotations), "spec", Map.of("replicas", replicas)),
                Managers.CAPI);
    }

    private static Map<String, Object> status(Reconciliation r, GenericKubernetesResource md, Integer desired) {
        String hash = Revisions.hash(md);
        List<GenericKubernetesResource> machines = r.observed.machinesOfDeployment(md);
        WorkerSummary counts = WorkerSummary.count(desired == null ? 0 : desired, machines);
        int upToDate = (int) machines.stream()
                .filter(m -> !Fields.deleting(m) && hash.equals(Fields.label(m, Labels.TEMPLATE_HASH))).count();
        int notUpToDate = (int) machines.stream()
                .filter(m -> !Fields.deleting(m) && !hash.equals(Fields.label(m, Labels.TEMPLATE_HASH))).count();
        int unavailable = desired == null ? 0 : RolloutStrategy.maxUnavailable(md, desired);

        Map<String, Object> status = new LinkedHashMap<>();
        String selector = Revisions.selectorString(Fields.map(md, "spec", "selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        status.put("replicas", counts.replicas());
        status.put("readyReplicas", counts.ready());
        status.put("availableReplicas", counts.available());
        status.put("upToDateReplicas", upToDate);
        status.put("observedGeneration", Fields.generation(md));
        status.put("phase", desired == null ? "Unknown" : counts.replicas() == desired ? "Running"
                : counts.replicas() < desired ? "ScalingUp" : "ScalingDown");
        List<Map<String, Object>> versions = Revisions.versions(machines);
        if (versions != null) {
            status.put("versions", versions);
        }

        Conditions c = Conditions.of(Fields.list(md, "status", "conditions"), Fields.generation(md), r.now);
        if (desired == null) {
            c.set("Available", false, "WaitingForReplicasSet", "spec.replicas not set");
        } else {
            boolean available = counts.available() >= desired - unavailable;
            c.set("Available", available, available ? "Available" : "NotAvailable", available ? ""
                    : counts.available() + " available replicas, at least " + (desired - unavailable) + " required");
        }
        summarise(c, "MachinesReady", machines, counts.ready(), "Ready", "NotReady", "not ready");
        summarise(c, "MachinesUpToDate", machines, machines.size() - notUpToDate, "UpToDate", "NotUpToDate",
                "not up to date");
        c.set("RollingOut", notUpToDate > 0, notUpToDate > 0 ? "RollingOut" : "NotRollingOut",
                notUpToDate > 0 ? "Rolling out " + notUpToDate + " not up-to-date replicas" : "");
        boolean up = desired != null && counts.replicas() < desired;
        boolean down = desired != null && counts.replicas() > desired;
        c.set("ScalingUp", up, up ? "ScalingUp" : "NotScalingUp",
                up ? "Scaling up from " + counts.replicas() + " to " + desired + " replicas"
                        + preflightMessage(r, md) : "");
        c.set("ScalingDown", down, down ? "ScalingDown" : "NotScalingDown",
                down ? "Scaling down from " + counts.replicas() + " to " + desired + " replicas" : "");
        c.set("Remediating", false, "NotRemediating", "");
        c.set("Deleting", false, "NotDeleting", "");
        c.set("Paused", false, "NotPaused", "");
        status.put("conditions", c.build());
        return status;
    }

    private static String preflightMessage(Reconciliation r, GenericKubernetesResource md) {
        return r.observed.machineSetsOf(md).stream()
                .map(ms -> Conditions.find(Fields.list(ms, "status", "conditions"), "ScalingUp"))
                .flatMap(Optional::stream)
                .map(c -> String.valueOf(c.get("message")))
                .filter(m -> m.contains("preflight"))
                .findFirst().map(m -> "; " + m).orElse("");
    }

    private static void summarise(Conditions c, String type, List<GenericKubernetesResource> machines, int good,
            String trueReason, String falseReason, String what) {
        if (machines.isEmpty()) {
            c.set(type, true, "NoReplicas", "");
            return;
        }
        boolean all = good == machines.size();
        c.set(type, all, all ? trueReason : falseReason,
                all ? "" : (machines.size() - good) + " of " + machines.size() + " Machines " + what);
    }

    static int replicas(GenericKubernetesResource ms) {
        return Fields.integer(ms, "spec", "replicas").orElse(0);
    }
}
