package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The latest state of one cluster on the compacted {@code nestor.cluster.state} topic (schema
 * {@code cluster-state/v1}).
 *
 * <p>After {@code cluster.deleted}, cluster-service writes a <b>tombstone</b>: a record with the cluster's key
 * ({@code <namespace>/<name>}) and a {@code null} value, without CloudEvents headers. Consumers treat it as
 * "forget this cluster"; compaction then removes the key once {@code delete.retention.ms} has passed.
 *
 * @param sequence the cluster's {@code status.lastSequence} when the snapshot was taken
 * @param deleting whether the TenantCluster has a {@code deletionTimestamp}
 * @param spec the TenantCluster spec without the add-ons' {@code values} (see {@link #specWithoutAddonValues})
 * @param endpoint the control-plane endpoint, once known
 * @param kubeconfigSecretName the Secret holding the tenant's admin kubeconfig, once written
 * @param version the Kubernetes version the control plane runs, once known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterStateSnapshot(
        String uid,
        String tenant,
        String namespace,
        String name,
        long generation,
        long sequence,
        String phase,
        boolean deleting,
        JsonNode spec,
        List<ConditionData> conditions,
        String endpoint,
        String kubeconfigSecretName,
        String version) {

    public ClusterStateSnapshot {
        Require.text(uid, "uid");
        Require.text(tenant, "tenant");
        Require.text(namespace, "namespace");
        Require.text(name, "name");
        Require.text(phase, "phase");
        Require.present(spec, "spec");
        conditions = Require.list(conditions);
    }

    /**
     * A copy of a TenantCluster spec with {@code addons.<name>.values} removed: add-on values may hold secrets and
     * are large, and no consumer of the state topic needs them.
     */
    public static JsonNode specWithoutAddonValues(JsonNode spec) {
        JsonNode copy = spec.deepCopy();
        JsonNode addons = copy.path("addons");
        if (addons.isObject()) {
            addons.forEach(addon -> {
                if (addon instanceof ObjectNode object) {
                    object.remove("values");
                }
            });
        }
        return copy;
    }
}
