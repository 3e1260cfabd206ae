package dev.nestor.addon.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the parts of a HelmRelease's metadata and status that matter to an add-on's state. */
public record ReleaseStatus(long generation, long observedGeneration, boolean deleting, boolean suspended,
        List<Map<String, Object>> conditions, String installedVersion) {

    /** The status of a HelmRelease as the API returned it. */
    @SuppressWarnings("unchecked")
    public static ReleaseStatus of(GenericKubernetesResource release) {
        Map<String, Object> spec = map(release.getAdditionalProperties().get("spec"));
        Map<String, Object> status = map(release.getAdditionalProperties().get("status"));
        List<Map<String, Object>> conditions = status.get("conditions") instanceof List<?> list
                ? (List<Map<String, Object>>) list : List.of();
        String installed = null;
        if (status.get("history") instanceof List<?> history && !history.isEmpty()) {
            Object latest = map(history.get(0)).get("chartVersion");
            installed = latest == null ? null : latest.toString();
        }
        Long generation = release.getMetadata().getGeneration();
        return new ReleaseStatus(generation == null ? 0 : generation, number(status.get("observedGeneration")),
                release.getMetadata().getDeletionTimestamp() != null, Boolean.TRUE.equals(spec.get("suspend")),
                conditions, installed);
    }

    /** A condition of the given type, if Flux set one. */
    public Optional<Map<String, Object>> condition(String type) {
        return conditions.stream().filter(c -> type.equals(c.get("type"))).findFirst();
    }

    public boolean isTrue(String type) {
        return condition(type).map(c -> "True".equals(c.get("status"))).orElse(false);
    }

    public boolean isFalse(String type) {
        return condition(type).map(c -> "False".equals(c.get("status"))).orElse(false);
    }

    public String reason(String type) {
        return condition(type).map(c -> String.valueOf(c.get("reason"))).orElse(null);
    }

    public String message(String type) {
        return condition(type).map(c -> c.get("message") == null ? "" : String.valueOf(c.get("message"))).orElse(null);
    }

    /** Whether Flux has looked at the current spec (a condition of an older generation says nothing about it). */
    public boolean observed() {
        return observedGeneration >= generation;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : -1;
    }
}
