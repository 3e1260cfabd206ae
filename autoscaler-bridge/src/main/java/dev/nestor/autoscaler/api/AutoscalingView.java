package dev.nestor.autoscaler.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nestor.autoscaler.messaging.ScalingEvent;

import java.util.List;

/**
 * A cluster's autoscaling as {@code GET .../autoscaling} returns it.
 *
 * @param autoscaler whether a cluster-autoscaler is deployed for the cluster
 * @param image its image, absent when none is deployed
 * @param nodeGroups every node group, autoscaled or not
 * @param events the latest scaling events within the history window, oldest first (as published on
 *     {@code nestor.autoscaling}, so the same on every replica)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoscalingView(String tenant, String cluster, boolean autoscaler, String image,
        List<Group> nodeGroups, List<ScalingEvent> events) {

    /**
     * One node group.
     *
     * @param minReplicas the autoscaler's lower bound, absent for a fixed-size group
     * @param maxReplicas the autoscaler's upper bound, absent for a fixed-size group
     * @param desiredReplicas what the MachineDeployment asks for
     * @param currentReplicas the machines it has
     * @param readyReplicas the machines that are ready
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(String name, boolean autoscaled, Integer minReplicas, Integer maxReplicas,
            Integer desiredReplicas, Integer currentReplicas, Integer readyReplicas) {
    }
}
