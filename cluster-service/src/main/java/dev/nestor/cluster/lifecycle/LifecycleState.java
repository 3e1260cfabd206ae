package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.model.AddonStatus;
import dev.nestor.cluster.model.NodeGroupStatus;
import dev.nestor.cluster.model.Phase;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;

/**
 * The derived phase, why, the conditions and the node counts of a cluster.
 *
 * @param addons the add-ons as addon-service last reported them, null when no report is held
 */
public record LifecycleState(Phase phase, String reason, String message, List<Condition> conditions,
        List<NodeGroupStatus> nodeGroups, int readyNodes, int desiredNodes, List<AddonStatus> addons) {
}
