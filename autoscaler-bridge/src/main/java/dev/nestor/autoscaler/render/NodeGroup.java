package dev.nestor.autoscaler.render;

/**
 * One observed MachineDeployment of a cluster, as the autoscaler sees it.
 *
 * @param name the node group (the MachineDeployment name without the {@code <cluster>-} prefix)
 * @param machineDeployment the MachineDeployment name
 * @param minSize the min-size annotation, absent when the group is not autoscaled
 * @param maxSize the max-size annotation, absent when the group is not autoscaled
 * @param desired {@code spec.replicas}, absent when not yet defaulted
 * @param current {@code status.replicas}, absent when not yet reported
 * @param ready {@code status.readyReplicas}, absent when not yet reported
 */
public record NodeGroup(String name, String machineDeployment, Integer minSize, Integer maxSize, Integer desired,
        Integer current, Integer ready) {

    /** Both annotations are present and make a range: exactly what makes cluster-autoscaler discover the group. */
    public boolean autoscaled() {
        return minSize != null && maxSize != null;
    }
}
