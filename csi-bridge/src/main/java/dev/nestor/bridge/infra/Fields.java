package dev.nestor.bridge.infra;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/** Null-safe reads of generic objects' fields. */
public final class Fields {

    private Fields() {
    }

    /** The value at {@code path} (map keys), or null. */
    public static Object at(Object root, String... path) {
        Object current = root instanceof GenericKubernetesResource resource ? resource.getAdditionalProperties()
                : root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    public static String string(Object root, String... path) {
        Object value = at(root, path);
        return value == null ? null : value.toString();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object root, String... path) {
        Object value = at(root, path);
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    public static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    public static String name(GenericKubernetesResource object) {
        return object.getMetadata().getName();
    }
}
