package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * A MachineDeployment's rolling-update bounds ({@code spec.rollout.strategy.rollingUpdate}), int or percentage of the
 * desired replicas; Cluster API's defaults are maxSurge 1 and maxUnavailable 0.
 */
final class RolloutStrategy {

    private RolloutStrategy() {
    }

    static int maxSurge(GenericKubernetesResource md, int desired) {
        int surge = value(md, "maxSurge", desired, true, 1);
        // Both bounds at zero could never make progress; Kubernetes' validation forbids it, so assume the default.
        return surge == 0 && maxUnavailable(md, desired) == 0 ? 1 : surge;
    }

    static int maxUnavailable(GenericKubernetesResource md, int desired) {
        return value(md, "maxUnavailable", desired, false, 0);
    }

    private static int value(GenericKubernetesResource md, String field, int desired, boolean roundUp, int fallback) {
        Object value = Fields.at(md, "spec", "rollout", "strategy", "rollingUpdate", field);
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value instanceof String text && text.endsWith("%")) {
            double share = Double.parseDouble(text.substring(0, text.length() - 1)) / 100.0 * desired;
            return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
        }
        return fallback;
    }
}
