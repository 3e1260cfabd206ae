package dev.nestor.sandbox.simulator;

/** Identifies one simulated cluster: the namespace and name of its Cluster API {@code Cluster}. */
public record ClusterKey(String namespace, String name) {

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
