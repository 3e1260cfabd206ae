package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * csi-bridge's full current view of one cluster, on {@code nestor.bridges} (schema {@code bridge-state/v1}).
 *
 * @param cluster the TenantCluster name
 * @param connected whether the bridge reaches the tenant API
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeStateReport(
        String clusterUid,
        String tenant,
        String namespace,
        String cluster,
        boolean connected,
        BridgeComponentState storage,
        BridgeComponentState loadBalancers,
        BridgeComponentState nodes) {

    public BridgeStateReport {
        Require.text(clusterUid, "clusterUid");
        Require.text(tenant, "tenant");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        Require.present(storage, "storage");
        Require.present(loadBalancers, "loadBalancers");
        Require.present(nodes, "nodes");
    }
}
