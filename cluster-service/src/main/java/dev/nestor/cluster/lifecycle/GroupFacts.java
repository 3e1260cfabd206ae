package dev.nestor.cluster.lifecycle;

import dev.nestor.cluster.render.Labels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/**
 * What one MachineDeployment says. {@code phase: Running} says nothing about nodes and counters
 * may be absent, so readiness is {@code observedGeneration == generation},
 * {@code availableReplicas >= replicas} and {@code upToDateReplicas == replicas}.
 */
public record GroupFacts(String name, boolean exists, int desired, int replicas, int ready, int available,
        int upToDate, boolean current, boolean rollingOut, boolean autoscaled) {

    public static GroupFacts absent(String name) {
        return new GroupFacts(name, false, 0, 0, 0, 0, 0, false, false, false);
    }

    @SuppressWarnings("unchecked")
    public static GroupFacts of(String name, GenericKubernetesResource md) {
        if (md == null) {
            return absent(name);
        }
        Map<String, Object> spec = (Map<String, Object>) md.getAdditionalProperties().getOrDefault("spec", Map.of());
        Map<String, Object> status = (Map<String, Object>) md.getAdditionalProperties().getOrDefault("status", Map.of());
        int desired = intOf(spec.get("replicas"));
        Long generation = md.getMetadata().getGeneration();
        Object observed = status.get("observedGeneration");
        boolean current = generation != null && observed instanceof Number n && n.longValue() == generation;
        boolean rollingOut = false;
        for (Map<String, Object> c : (List<Map<String, Object>>) status.getOrDefault("conditions", List.of())) {
            if ("RollingOut".equals(c.get("type")) && "True".equals(c.get("status"))) {
                rollingOut = true;
            }
        }
        return new GroupFacts(name, true, desired, intOf(status.get("replicas")), intOf(status.get("readyReplicas")),
                intOf(status.get("availableReplicas")), intOf(status.get("upToDateReplicas")), current, rollingOut,
                md.getMetadata().getAnnotations() != null && md.getMetadata().getAnnotations().containsKey(Labels.AUTOSCALER_MIN));
    }

    /** Ready as DESIGN §5.1 defines it. */
    public boolean isReady() {
        return exists && current && available >= desired && upToDate == desired && ready >= desired;
    }

    /**
     * The group is converging on a new size: its MachineDeployment does not exist yet, CAPI has
     * not observed its latest generation (a replica or template change), or it has more or fewer
     * machines than desired. Machines that exist but are not ready are a degradation instead.
     */
    public boolean isScaling() {
        return !exists || !current || (!rollingOut && replicas != desired);
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }
}
