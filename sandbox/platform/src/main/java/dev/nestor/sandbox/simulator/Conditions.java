package dev.nestor.sandbox.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds a {@code metav1.Condition} list the way upstream controllers do: {@code lastTransitionTime} moves only when
 * a condition's status changes, and every condition carries the generation it was computed from.
 */
final class Conditions {

    static final String TRUE = "True";
    static final String FALSE = "False";

    private final List<Map<String, Object>> previous;
    private final Long observedGeneration;
    private final String now;
    private final List<Map<String, Object>> result = new ArrayList<>();

    private Conditions(List<Map<String, Object>> previous, Long observedGeneration, Instant now) {
        this.previous = previous;
        this.observedGeneration = observedGeneration;
        this.now = timestamp(now);
    }

    /** A builder whose conditions carry {@code observedGeneration}. */
    static Conditions of(List<Map<String, Object>> previous, long observedGeneration, Instant now) {
        return new Conditions(previous, observedGeneration, now);
    }

    /** A builder for condition lists without {@code observedGeneration} (KubeVirt, Nodes). */
    static Conditions withoutGeneration(List<Map<String, Object>> previous, Instant now) {
        return new Conditions(previous, null, now);
    }

    Conditions set(String type, boolean status, String reason, String message) {
        return set(type, status ? TRUE : FALSE, reason, message);
    }

    Conditions set(String type, String status, String reason, String message) {
        String transition = find(previous, type)
                .filter(old -> status.equals(old.get("status")) && old.get("lastTransitionTime") != null)
                .map(old -> old.get("lastTransitionTime").toString())
                .orElse(now);
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", status);
        if (observedGeneration != null) {
            condition.put("observedGeneration", observedGeneration);
        }
        condition.put("lastTransitionTime", transition);
        condition.put("reason", reason);
        condition.put("message", message == null ? "" : message);
        result.add(condition);
        return this;
    }

    List<Map<String, Object>> build() {
        return List.copyOf(result);
    }

    static Optional<Map<String, Object>> find(List<Map<String, Object>> conditions, String type) {
        return conditions.stream().filter(c -> Objects.equals(type, c.get("type"))).findFirst();
    }

    static boolean isTrue(List<Map<String, Object>> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.get("status"))).orElse(false);
    }

    static String reason(List<Map<String, Object>> conditions, String type) {
        return find(conditions, type).map(c -> String.valueOf(c.get("reason"))).orElse(null);
    }

    static String message(List<Map<String, Object>> conditions, String type) {
        return find(conditions, type).map(c -> String.valueOf(c.get("message"))).orElse("");
    }

    /** Kubernetes' timestamp format: RFC 3339 in UTC with whole seconds. */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
