package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Kamaji and its Cluster API control-plane provider: a KamajiControlPlane gets its TenantControlPlane, an address, a
 * running control plane (here: a tenant API server on the loopback address), the kubeconfig and CA Secrets, and the
 * v1alpha2 status the provider writes. Condition reasons follow the provider: {@code Succeeded} when a step is done,
 * {@code Failed} while it waits (not terminal), {@code Pending} for a real error.
 */
final class KamajiSimulation {

    static final String TCP_CREATED = "TenantControlPlaneCreated";
    static final String ADDRESS_READY = "TenantControlPlaneAddressReady";
    static final String ENDPOINT_PATCHED = "ControlPlaneEndpointPatched";
    static final String INFRA_PATCHED = "InfrastructureClusterPatched";
    static final String INITIALIZED = "KamajiControlPlaneIsInitialized";
    static final String KUBEADM_RESOURCES = "KubeadmResourcesCreated";
    static final String READY = "KamajiControlPlaneIsReady";
    static final String AVAILABLE = "Available";

    private static final String SUCCEEDED = "Succeeded";
    private static final String WAITING = "Failed";
    private static final String ERROR = "Pending";
    private static final String LOOPBACK = "127.0.0.1";

    private KamajiSimulation() {
    }

    static void reconcile(Reconciliation r) {
        GenericKubernetesResource kcp = r.observed.controlPlane;
        GenericKubernetesResource cluster = r.observed.cluster;
        // The provider waits for the Cluster controller's ownerReference before doing anything.
        if (kcp == null || cluster == null || Fields.deleting(kcp) || !Fields.ownedBy(kcp, cluster)) {
            return;
        }
        String uid = kcp.getMetadata().getUid();
        Conditions conditions = Conditions.of(Fields.list(kcp, "status", "conditions"), Fields.generation(kcp), r.now);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("externalManagedControlPlane", true);
        status.put("ready", false);
        status.put("version", Objects.requireNonNullElse(Fields.string(kcp, "status", "version"), ""));
        if (Fields.isTrue(kcp, "status", "initialization", "controlPlaneInitialized")) {
            // Set once and never cleared, as upstream.
            status.put("initialization", Map.of("controlPlaneInitialized", true));
        }

        if (r.observed.failures.contains(Failure.CONTROL_PLANE)) {
            conditions.set(TCP_CREATED, false, ERROR, "cannot create or update the TenantControlPlane: the "
                    + "DataStore rejected the tenant (injected by " + Failure.ANNOTATION + ": control-plane)");
            notAvailable(conditions, "the TenantControlPlane could not be created");
            write(r, kcp, status, conditions);
            return;
        }
        if (!step(r, conditions, uid + "/tcp-created", r.timings.controlPlaneCreate(), TCP_CREATED,
                "waiting for Kamaji to create the TenantControlPlane")) {
            write(r, kcp, status, notAvailable(conditions, "the TenantControlPlane is being created"));
            return;
        }
        if (!step(r, conditions, uid + "/tcp-address", r.timings.controlPlaneAddress(), ADDRESS_READY,
                "Control Plane Endpoint is not yet available since unprocessed by Kamaji")) {
            write(r, kcp, status, notAvailable(conditions, "waiting for the control plane address"));
            return;
        }

        if (r.observed.failures.contains(Failure.TENANT_API)) {
            r.tenants.stop(r.key());
            write(r, kcp, status, notAvailable(conditions, "the tenant API server is down (injected by "
                    + Failure.ANNOTATION + ": tenant-api)"));
            return;
        }
        TenantApiServers.Running tenant = r.tenants.ensure(r.key(), tenantVersion(startVersion(kcp)));
        Map<String, Object> endpoint = Map.of("host", LOOPBACK, "port", tenant.server().port());
        if (!Api.sameJson(Fields.at(kcp, "spec", "controlPlaneEndpoint"), endpoint)) {
            r.api.mergePatch(Kind.KAMAJI_CONTROL_PLANE, kcp.getMetadata().getNamespace(), Fields.name(kcp),
                    Map.of("spec", Map.of("controlPlaneEndpoint", endpoint)), Managers.KAMAJI);
        }
        conditions.set(ENDPOINT_PATCHED, true, SUCCEEDED, "");
        GenericKubernetesResource infra = r.observed.infraCluster;
        if (infra == null) {
            conditions.set(INFRA_PATCHED, false, WAITING, "the KubevirtCluster referenced by the Cluster is missing");
            write(r, kcp, status, notAvailable(conditions, "waiting for the infrastructure cluster"));
            return;
        }
        patchInfraCluster(r, infra, endpoint);
        conditions.set(INFRA_PATCHED, true, SUCCEEDED, "");

        boolean clusterReady = Fields.string(cluster, "spec", "controlPlaneEndpoint", "host") != null
                && Fields.isTrue(cluster, "status", "initialization", "infrastructureProvisioned");
        if (!clusterReady || !step(r, conditions, uid + "/tcp-started", r.timings.controlPlaneStart(), INITIALIZED,
                "the TenantControlPlane is not yet initialized")) {
            write(r, kcp, status, notAvailable(conditions, "the control plane is starting"));
            return;
        }

        status.put("initialization", Map.of("controlPlaneInitialized", true));
        status.put("version", runningVersion(r, kcp));
        int replicas = Fields.integer(kcp, "spec", "replicas").orElse(2);
        boolean upToDate = status.get("version").equals(normalise(Fields.string(kcp, "spec", "version")));
        status.put("replicas", replicas);
        status.put("readyReplicas", replicas);
        status.put("availableReplicas", replicas);
        status.put("upToDateReplicas", upToDate ? replicas : 0);
        status.put("selector", selector(kcp));
        ControlPlaneSecrets.ensure(r.api.client(), kcp, r.key().name(), tenant.server().url());
        conditions.set(KUBEADM_RESOURCES, true, SUCCEEDED, "");
        // The TenantControlPlane is Ready, or Upgrading, which Kamaji counts as ready too.
        status.put("ready", true);
        conditions.set(READY, true, SUCCEEDED, "");
        conditions.set(AVAILABLE, true, "Available", "");
        write(r, kcp, status, conditions);
    }

    /** Stops a tenant API server whose control plane is gone and removes the Secrets that went with it. */
    static void tearDownIfGone(Reconciliation r) {
        if (r.observed.controlPlane == null && r.tenants.get(r.key()).isPresent()) {
            r.tenants.stop(r.key());
            ControlPlaneSecrets.delete(r.api.client(), r.key().namespace(), r.key().name());
        }
    }

    private static boolean step(Reconciliation r, Conditions conditions, String step,
            Duration duration, String condition, String waitingMessage) {
        boolean done = r.elapsed(step, duration);
        conditions.set(condition, done, done ? SUCCEEDED : WAITING, done ? "" : waitingMessage);
        return done;
    }

    private static Conditions notAvailable(Conditions conditions, String message) {
        return conditions.set(AVAILABLE, false, "NotAvailable", message);
    }

    private static void write(Reconciliation r, GenericKubernetesResource kcp, Map<String, Object> status,
            Conditions conditions) {
        status.put("conditions", conditions.build());
        r.api.applyStatus(Kind.KAMAJI_CONTROL_PLANE, kcp, status, Managers.KAMAJI);
    }

    /** The provider sets the endpoint on the KubevirtCluster and marks it ready (CAPK skips it: managed-by). */
    private static void patchInfraCluster(Reconciliation r, GenericKubernetesResource infra,
            Map<String, Object> endpoint) {
        String ns = infra.getMetadata().getNamespace();
        if (!Api.sameJson(Fields.at(infra, "spec", "controlPlaneEndpoint"), endpoint)) {
            r.api.mergePatch(Kind.KUBEVIRT_CLUSTER, ns, Fields.name(infra),
                    Map.of("spec", Map.of("controlPlaneEndpoint", endpoint)), Managers.KAMAJI);
        }
        if (!Fields.isTrue(infra, "status", "ready")) {
            r.api.mergePatchStatus(Kind.KUBEVIRT_CLUSTER, ns, Fields.name(infra),
                    Map.of("status", Map.of("ready", true)), Managers.KAMAJI);
        }
    }

    /**
     * The version the control plane runs: {@code spec.version} once it first starts; after a change of
     * {@code spec.version}, the old one until the rollout is over.
     */
    private static String runningVersion(Reconciliation r, GenericKubernetesResource kcp) {
        String desired = normalise(Fields.string(kcp, "spec", "version"));
        String running = Fields.string(kcp, "status", "version");
        if (running == null || running.isEmpty() || running.equals(desired)) {
            return desired;
        }
        return r.elapsed(kcp.getMetadata().getUid() + "/upgrade/" + desired, r.timings.controlPlaneUpgrade())
                ? desired : running;
    }

    private static String startVersion(GenericKubernetesResource kcp) {
        String running = Fields.string(kcp, "status", "version");
        return running == null || running.isEmpty() ? normalise(Fields.string(kcp, "spec", "version")) : running;
    }

    /** Kamaji prepends a missing {@code v}. */
    static String normalise(String version) {
        if (version == null || version.isEmpty()) {
            return "";
        }
        return version.startsWith("v") ? version : "v" + version;
    }

    /** The version the tenant API server reports: always with a patch number. */
    static String tenantVersion(String version) {
        String normalised = normalise(version);
        return normalised.chars().filter(c -> c == '.').count() >= 2 ? normalised : normalised + ".0";
    }

    /** As the provider does: the KamajiControlPlane's own labels as a selector string. */
    private static String selector(GenericKubernetesResource kcp) {
        Map<String, String> labels = kcp.getMetadata().getLabels();
        if (labels == null || labels.isEmpty()) {
            return "<none>";
        }
        return new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
