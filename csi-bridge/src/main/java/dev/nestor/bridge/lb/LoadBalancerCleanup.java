package dev.nestor.bridge.lb;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.reconcile.ClusterReconciler;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;

/** When a cluster is deleted (confirmed against the API): its management LoadBalancer Services go. */
public final class LoadBalancerCleanup implements ClusterReconciler.Cleanup {

    private final KubernetesClient management;

    public LoadBalancerCleanup(KubernetesClient management) {
        this.management = management;
    }

    @Override
    public boolean clean(ClusterStateSnapshot cluster) {
        var services = management.services().inNamespace(cluster.namespace());
        var left = services.withLabel(BridgeLabels.CLUSTER_UID, cluster.uid())
                .withLabel(BridgeLabels.MANAGED_BY, BridgeLabels.MANAGER).list().getItems();
        // One by one (RBAC: delete, not deletecollection).
        left.forEach(service -> services.withName(service.getMetadata().getName()).delete());
        return left.isEmpty();
    }
}
