package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing csi-bridge did for a cluster ({@code dev.nestor.volume.*}, {@code dev.nestor.loadbalancer.*},
 * {@code dev.nestor.node.removed}; schema {@code bridge-activity/v1}).
 *
 * @param cluster the TenantCluster name
 * @param objectKind the tenant object's kind, e.g. {@code PersistentVolumeClaim}, {@code Service}, {@code Node}
 * @param objectName the tenant object's name ({@code <namespace>/<name>} for namespaced objects)
 * @param action what happened, the last segment of the event type, e.g. {@code attached}
 * @param message details, optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeActivity(
        String clusterUid,
        String namespace,
        String cluster,
        String objectKind,
        String objectName,
        String action,
        String message) {

    public BridgeActivity {
        Require.text(clusterUid, "clusterUid");
        Require.text(namespace, "namespace");
        Require.text(cluster, "cluster");
        Require.text(objectKind, "objectKind");
        Require.text(objectName, "objectName");
        Require.text(action, "action");
    }
}
