package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The autoscaler changed a node group's replica count ({@code dev.nestor.nodegroup.scaled}, schema
 * {@code nodegroup-scaled/v1}).
 *
 * @param cluster the TenantCluster name
 * @param from the replica count before
 * @param to the replica count after
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeGroupScaled(String clusterUid, String namespace, String cluster, String nodeGroup, int from, int to) {

    public NodeGroupScaled {
        Require.text(clusterUid, "clusterUid");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        Require.text(nodeGroup, "nodeGroup");
        if (from < 0 || to < 0) {
            throw new IllegalArgumentException("replica counts cannot be negative");
        }
    }
}
