package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.bridge.reconcile.ClusterReconciler;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;

/** When a cluster is deleted (confirmed against the API): its DataVolumes go, found by the cluster-uid label. */
public final class StorageCleanup implements ClusterReconciler.Cleanup {

    private final KubernetesClient management;

    public StorageCleanup(KubernetesClient management) {
        this.management = management;
    }

    @Override
    public boolean clean(ClusterStateSnapshot cluster) {
        var volumes = management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(cluster.namespace());
        var left = volumes.withLabel(BridgeLabels.VOLUME_OF, cluster.uid())
                .withLabel(BridgeLabels.MANAGED_BY, BridgeLabels.MANAGER).list().getItems();
        // One by one (RBAC: delete, not deletecollection).
        left.forEach(dv -> volumes.withName(dv.getMetadata().getName()).delete());
        return left.isEmpty();
    }
}
