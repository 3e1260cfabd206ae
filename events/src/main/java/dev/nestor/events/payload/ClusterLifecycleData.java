package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of the lifecycle transitions on {@code nestor.cluster.lifecycle} (schema {@code cluster-lifecycle/v1}).
 *
 * @param tenant the tenant name (not the namespace)
 * @param namespace the TenantCluster's namespace
 * @param name the TenantCluster's name
 * @param uid the TenantCluster's {@code metadata.uid}
 * @param generation the spec generation the transition was observed at
 * @param sequence the per-cluster sequence of this transition, starting at 1
 * @param phase the phase entered
 * @param previousPhase the phase left, absent for {@code requested}
 * @param reason a machine-readable reason (CamelCase), optional
 * @param message a human-readable message, optional
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterLifecycleData(
        String tenant,
        String namespace,
        String name,
        String uid,
        long generation,
        long sequence,
        String phase,
        String previousPhase,
        String reason,
        String message) {

    public ClusterLifecycleData {
        Require.text(tenant, "tenant");
        Require.text(namespace, "namespace");
        Require.text(name, "name");
        Require.text(uid, "uid");
        Require.text(phase, "phase");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, got " + sequence);
        }
    }
}
