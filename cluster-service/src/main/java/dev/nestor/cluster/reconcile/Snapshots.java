package dev.nestor.cluster.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterStatus;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.ConditionData;
import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The state-topic snapshot of a cluster (DESIGN §5.2): what satellites reconcile from. */
final class Snapshots {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Snapshots() {
    }

    static NestorEvent<ClusterStateSnapshot> of(TenantCluster tc, String tenant, Instant now) {
        TenantClusterStatus status = tc.getStatus() == null ? new TenantClusterStatus() : tc.getStatus();
        List<ConditionData> conditions = new ArrayList<>();
        if (status.conditions != null) {
            for (Condition c : status.conditions) {
                conditions.add(new ConditionData(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getObservedGeneration(), c.getLastTransitionTime()));
            }
        }
        var snapshot = new ClusterStateSnapshot(tc.getMetadata().getUid(), tenant, tc.getMetadata().getNamespace(),
                tc.getMetadata().getName(), TenantClusterReconciler.generation(tc),
                status.lastSequence == null ? 0 : status.lastSequence,
                status.phase == null ? "Pending" : status.phase, tc.getMetadata().getDeletionTimestamp() != null,
                ClusterStateSnapshot.specWithoutAddonValues(JSON.valueToTree(tc.getSpec())), conditions,
                status.endpoint, status.kubeconfigSecretName, status.version);
        return NestorEvent.report(EventSources.CLUSTER_SERVICE, EventTypes.CLUSTER_STATE,
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC), tenant, tc.getMetadata().getNamespace(),
                tc.getMetadata().getName(), tc.getMetadata().getUid(), snapshot);
    }
}
