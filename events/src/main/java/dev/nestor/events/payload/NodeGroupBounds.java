package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The autoscaling bounds of one node group and its current replica count.
 *
 * @param replicas the current {@code MachineDeployment} replicas, absent when not yet known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeGroupBounds(String name, int minReplicas, int maxReplicas, Integer replicas) {

    public NodeGroupBounds {
        Require.text(name, "node group name");
        if (minReplicas < 0 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("node group " + name + " needs 0 <= minReplicas <= maxReplicas, got "
                    + minReplicas + ".." + maxReplicas);
        }
    }
}
