package dev.nestor.sandbox.flux;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/** Reading nested fields of unstructured objects. */
final class Objects {

    private Objects() {
    }

    @SuppressWarnings("unchecked")
    static Object at(GenericKubernetesResource object, String... path) {
        Object current = object.getAdditionalProperties();
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = ((Map<String, Object>) map).get(key);
        }
        return current;
    }

    static String string(GenericKubernetesResource object, String... path) {
        Object value = at(object, path);
        return value == null ? null : value.toString();
    }

    static long number(GenericKubernetesResource object, long otherwise, String... path) {
        return at(object, path) instanceof Number n ? n.longValue() : otherwise;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(GenericKubernetesResource object, String... path) {
        return at(object, path) instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    static long generation(GenericKubernetesResource object) {
        Long generation = object.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
