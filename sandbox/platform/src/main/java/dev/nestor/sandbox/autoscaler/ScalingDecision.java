package dev.nestor.sandbox.autoscaler;

/** What the simulated autoscaler decides for one node group: a pure function of what it observed. */
final class ScalingDecision {
    private ScalingDecision() {
    }

    /**
     * The replicas a group should have.
     *
     * @param replicas its current desired replicas
     * @param pending tenant pods no node took
     * @param scheduled tenant pods on a node
     * @param idleLongEnough whether no pod has been pending for the scale-down delay
     */
    static int target(int min, int max, int replicas, int pending, int scheduled, int podsPerNode,
            boolean idleLongEnough) {
        int needed = ceil(pending + scheduled, podsPerNode);
        if (pending > 0) {
            // scale up: never down while pods wait, and never past max (nor back below a user-set value)
            return Math.max(replicas, Math.min(max, Math.max(min, needed)));
        }
        if (idleLongEnough && replicas > min) {
            return Math.max(min, Math.min(replicas, needed));
        }
        if (replicas < min) {
            return min; // --enforce-node-group-min-size
        }
        return replicas;
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
