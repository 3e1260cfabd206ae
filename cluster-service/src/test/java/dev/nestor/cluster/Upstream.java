package dev.nestor.cluster;

import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.render.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;

/**
 * Plays the upstream controllers in cluster-service's own tests: writes the statuses Kamaji and
 * Cluster API write, through the status subresource, so the reconciler sees a cluster come up.
 */
public final class Upstream {
    private Upstream() {
    }

    public static GenericKubernetesResource get(KubernetesClient client, Kind kind, String ns, String name) {
        return client.genericKubernetesResources(ClusterApi.context(kind)).inNamespace(ns).withName(name).get();
    }

    public static List<GenericKubernetesResource> list(KubernetesClient client, Kind kind, String ns, String cluster) {
        return client.genericKubernetesResources(ClusterApi.context(kind)).inNamespace(ns)
                .withLabel("nestor.dev/cluster", cluster).list().getItems();
    }

    /** Writes a status like a controller does: re-read and retry when someone else wrote in between (409). */
    static void retryOnConflict(Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** What Kamaji's provider writes once the tenant control plane serves. */
    public static void controlPlaneAvailable(KubernetesClient client, String ns, String name) {
        retryOnConflict(() -> writeControlPlaneAvailable(client, ns, name));
    }

    private static void writeControlPlaneAvailable(KubernetesClient client, String ns, String name) {
        GenericKubernetesResource kcp = get(client, Kind.KAMAJI_CONTROL_PLANE, ns, name);
        @SuppressWarnings("unchecked")
        String version = (String) ((Map<String, Object>) kcp.getAdditionalProperties().get("spec")).get("version");
        kcp.setAdditionalProperty("status", Map.of(
                "ready", true, "version", version, "replicas", 2, "readyReplicas", 2, "availableReplicas", 2,
                "upToDateReplicas", 2, "externalManagedControlPlane", true, "selector", "kamaji.clastix.io/name=" + name,
                "initialization", Map.of("controlPlaneInitialized", true),
                "conditions", List.of(Map.of("type", "Available", "status", "True", "reason", "Available",
                        "message", "", "lastTransitionTime", "2026-11-25T10:00:00Z", "observedGeneration", 1))));
        client.genericKubernetesResources(ClusterApi.context(Kind.KAMAJI_CONTROL_PLANE)).inNamespace(ns)
                .resource(kcp).updateStatus();
    }

    /** What Cluster API writes once every machine of a MachineDeployment is ready and up to date. */
    public static void workersReady(KubernetesClient client, String ns, String mdName) {
        retryOnConflict(() -> writeWorkers(client, ns, mdName, null));
    }

    /** What Cluster API writes while only {@code ready} of a MachineDeployment's machines are ready. */
    public static void workersPartlyReady(KubernetesClient client, String ns, String mdName, int ready) {
        retryOnConflict(() -> writeWorkers(client, ns, mdName, ready));
    }

    @SuppressWarnings("unchecked")
    private static void writeWorkers(KubernetesClient client, String ns, String mdName, Integer ready) {
        GenericKubernetesResource md = get(client, Kind.MACHINE_DEPLOYMENT, ns, mdName);
        Object replicas = ((Map<String, Object>) md.getAdditionalProperties().get("spec")).getOrDefault("replicas", 1);
        Object readyReplicas = ready == null ? replicas : ready;
        md.setAdditionalProperty("status", Map.of(
                "observedGeneration", md.getMetadata().getGeneration(), "replicas", replicas,
                "readyReplicas", readyReplicas, "availableReplicas", readyReplicas, "upToDateReplicas", replicas,
                "phase", ready == null ? "Running" : "ScalingUp"));
        client.genericKubernetesResources(ClusterApi.context(Kind.MACHINE_DEPLOYMENT)).inNamespace(ns)
                .resource(md).updateStatus();
    }
}
