package dev.nestor.events.payload;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A TenantCluster condition as carried in the state snapshot ({@code metav1.Condition} shape).
 *
 * @param lastTransitionTime RFC 3339, as in the TenantCluster status
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionData(
        String type,
        String status,
        String reason,
        String message,
        Long observedGeneration,
        String lastTransitionTime) {

    public ConditionData {
        Require.text(type, "condition type");
        Require.text(status, "condition status");
    }
}
