package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Null-safe reads of nested fields of generic objects, as parsed from JSON (maps, lists, scalars). */
final class Fields {

    private Fields() {
    }

    /** The value at a path of map keys below the object's top level ({@code spec}, {@code status}, ...). */
    static Object at(GenericKubernetesResource object, String... path) {
        if (object == null || path.length == 0) {
            return null;
        }
        Object current = object.getAdditionalProperties().get(path[0]);
        for (int i = 1; i < path.length && current != null; i++) {
            current = current instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return current;
    }

    /** The value at a path below a map. */
    static Object at(Map<String, Object> root, String... path) {
        Object current = root;
        for (int i = 0; i < path.length && current != null; i++) {
            current = current instanceof Map<?, ?> map ? map.get(path[i]) : null;
        }
        return current;
    }

    static String string(GenericKubernetesResource object, String... path) {
        Object value = at(object, path);
        return value == null ? null : value.toString();
    }

    static String string(Map<String, Object> root, String... path) {
        Object value = at(root, path);
        return value == null ? null : value.toString();
    }

    static Optional<Integer> integer(GenericKubernetesResource object, String... path) {
        return Optional.ofNullable(at(object, path) instanceof Number number ? number.intValue() : null);
    }

    static int integer(Map<String, Object> root, int fallback, String... path) {
        return at(root, path) instanceof Number number ? number.intValue() : fallback;
    }

    static boolean isTrue(GenericKubernetesResource object, String... path) {
        return Boolean.TRUE.equals(at(object, path));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(GenericKubernetesResource object, String... path) {
        return at(object, path) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> root, String... path) {
        return at(root, path) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(GenericKubernetesResource object, String... path) {
        return at(object, path) instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** A deep, mutable copy of a JSON-like map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> copy.put(key, copyValue(value)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return copy((Map<String, Object>) map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Fields::copyValue).toList();
        }
        return value;
    }

    static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    static String annotation(GenericKubernetesResource object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    static boolean deleting(GenericKubernetesResource object) {
        return object.getMetadata().getDeletionTimestamp() != null;
    }

    static boolean hasFinalizer(GenericKubernetesResource object, String finalizer) {
        List<String> finalizers = object.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }

    static boolean ownedBy(GenericKubernetesResource object, GenericKubernetesResource owner) {
        return ownerRefs(object.getMetadata()).stream()
                .anyMatch(ref -> Objects.equals(ref.getUid(), owner.getMetadata().getUid()));
    }

    static Optional<OwnerReference> owner(GenericKubernetesResource object, String kind) {
        return ownerRefs(object.getMetadata()).stream().filter(ref -> kind.equals(ref.getKind())).findFirst();
    }

    static List<OwnerReference> ownerRefs(ObjectMeta metadata) {
        return metadata.getOwnerReferences() == null ? List.of() : metadata.getOwnerReferences();
    }

    static long generation(GenericKubernetesResource object) {
        Long generation = object.getMetadata().getGeneration();
        return generation == null ? 1 : generation;
    }

    static String name(GenericKubernetesResource object) {
        return object.getMetadata().getName();
    }
}
