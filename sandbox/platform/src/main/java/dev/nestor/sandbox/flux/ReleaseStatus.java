package dev.nestor.sandbox.flux;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A HelmRelease status as helm-controller writes it: conditions ({@code Ready}, {@code Released},
 * {@code Reconciling}) whose {@code lastTransitionTime} moves only when the status changes, plus the other fields,
 * all valid against the HelmRelease schema.
 */
final class ReleaseStatus {
    static final String READY = "Ready";
    static final String RELEASED = "Released";
    static final String RECONCILING = "Reconciling";

    private final Map<String, Object> status;
    private final List<Map<String, Object>> conditions;
    private final long generation;
    private final Instant now;

    @SuppressWarnings("unchecked")
    ReleaseStatus(GenericKubernetesResource release, Instant now) {
        Object current = release.getAdditionalProperties().get("status");
        this.status = current instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : new LinkedHashMap<>();
        this.conditions = new ArrayList<>();
        Objects.list(release, "status", "conditions").forEach(c -> conditions.add(new LinkedHashMap<>(c)));
        this.generation = Objects.generation(release);
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    Optional<Map<String, Object>> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst();
    }

    /** When the condition last changed status, if it is set. */
    Optional<Instant> since(String type) {
        return condition(type).map(c -> Instant.parse(c.get("lastTransitionTime").toString()));
    }

    ReleaseStatus set(String type, String value, String reason, String message) {
        Map<String, Object> existing = condition(type).orElse(null);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", value);
        c.put("reason", reason);
        c.put("message", message);
        c.put("observedGeneration", generation);
        c.put("lastTransitionTime", existing != null && value.equals(existing.get("status"))
                ? existing.get("lastTransitionTime") : now.toString());
        conditions.removeIf(x -> type.equals(x.get("type")));
        conditions.add(c);
        return this;
    }

    ReleaseStatus remove(String type) {
        conditions.removeIf(x -> type.equals(x.get("type")));
        return this;
    }

    ReleaseStatus put(String field, Object value) {
        status.put(field, value);
        return this;
    }

    Object get(String field) {
        return status.get(field);
    }

    /** The status to write; {@code observedGeneration} says helm-controller has seen this spec. */
    Map<String, Object> build() {
        Map<String, Object> out = new LinkedHashMap<>(status);
        out.put("observedGeneration", generation);
        out.put("conditions", conditions);
        return out;
    }
}
