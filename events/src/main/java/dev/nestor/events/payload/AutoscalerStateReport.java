package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * autoscaler-bridge's full current view of one cluster's autoscaler, on {@code nestor.autoscaling} (schema
 * {@code autoscaler-state/v1}).
 *
 * @param cluster the TenantCluster name
 * @param message what went wrong or what is awaited, optional
 * @param image the cluster-autoscaler image deployed, absent when none is
 * @param nodeGroups the autoscaled node groups
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoscalerStateReport(
        String clusterUid,
        String tenant,
        String namespace,
        String cluster,
        State state,
        String message,
        String image,
        List<NodeGroupBounds> nodeGroups) {

    /** Where the autoscaler stands; the names are the wire values. */
    public enum State {
        Configured,
        Removed,
        Failed,
        /** No node group autoscales, so no autoscaler is deployed. */
        NotRequired
    }

    public AutoscalerStateReport {
        Require.text(clusterUid, "clusterUid");
        Require.text(tenant, "tenant");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        Require.present(state, "state");
        nodeGroups = Require.list(nodeGroups);
    }
}
