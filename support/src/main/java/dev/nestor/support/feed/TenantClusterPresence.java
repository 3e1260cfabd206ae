package dev.nestor.support.feed;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The check a satellite makes against the API before a destructive step (DESIGN §5.3): an event or a stale
 * snapshot is never enough to tear a cluster's objects down.
 */
public final class TenantClusterPresence {

    /** {@code tenantclusters.nestor.dev/v1alpha1}, namespaced. */
    public static final ResourceDefinitionContext TENANT_CLUSTERS = new ResourceDefinitionContext.Builder()
            .withGroup("nestor.dev").withVersion("v1alpha1").withKind("TenantCluster").withPlural("tenantclusters")
            .withNamespaced(true).build();

    private TenantClusterPresence() {
    }

    /**
     * Whether the TenantCluster {@code namespace/name} with {@code uid} is gone (absent, or re-created under another
     * uid) or being deleted. A failing read throws: not knowing is not a licence to delete.
     */
    public static boolean goneOrDeleting(KubernetesClient client, String namespace, String name, String uid) {
        GenericKubernetesResource cluster = client.genericKubernetesResources(TENANT_CLUSTERS)
                .inNamespace(namespace).withName(name).get();
        return cluster == null
                || !uid.equals(cluster.getMetadata().getUid())
                || cluster.getMetadata().getDeletionTimestamp() != null;
    }
}
