package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The autoscaler changed a node group's replica count ({@code dev.nestor.nodegroup.scaled}, schema
 * {@code nodegroup-scaled/v1}).
 *
 * @param cluster the TenantCluster name
 * @param from the replica count before
 * @param to the replica count after
 * @param direction {@code up} or {@code down}, following from and to
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeGroupScaled(String clusterUid, String namespace, String cluster, String nodeGroup, int from, int to,
        String direction) {

    public static final String UP = "up";
    public static final String DOWN = "down";

    /** A change from {@code from} to {@code to} replicas; the direction follows from them. */
    public NodeGroupScaled(String clusterUid, String namespace, String cluster, String nodeGroup, int from, int to) {
        this(clusterUid, namespace, cluster, nodeGroup, from, to, to > from ? UP : DOWN);
    }

    public NodeGroupScaled {
        Require.text(clusterUid, "clusterUid");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        Require.text(nodeGroup, "nodeGroup");
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("replica counts cannot be negative");
        }
        if (from == to) {
            throw new IllegalArgumentException("a scaling changes the replica count, got " + from + " to " + to);
        }
        if (!(to > from ? UP : DOWN).equals(direction)) {
            throw new IllegalArgumentException("direction must be " + (to > from ? UP : DOWN) + " from " + from
                    + " to " + to + ", got " + direction);
        }
    }
}
