package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * addon-service's full current view of one cluster's add-ons, on {@code nestor.addons} (schema
 * {@code addon-state/v1}).
 *
 * @param cluster the TenantCluster name
 * @param observedGeneration the TenantCluster generation the report reflects
 * @param addons every add-on of the cluster, not only the one that changed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddonStateReport(
        String clusterUid,
        String tenant,
        String namespace,
        String cluster,
        long observedGeneration,
        List<AddonState> addons) {

    public AddonStateReport {
        Require.text(clusterUid, "clusterUid");
        Require.text(tenant, "tenant");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        addons = Require.list(addons);
    }
}
