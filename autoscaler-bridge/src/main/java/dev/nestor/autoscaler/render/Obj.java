package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to write rendered objects as ordered maps, so YAML output is stable. */
final class Obj {
    private Obj() {
    }

    /** An ordered map from alternating keys and values; null values are left out. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    static List<Object> list(Object... items) {
        return List.of(items);
    }

    /** An object with metadata only; the caller adds its top-level fields. */
    static GenericKubernetesResource resource(String apiVersion, String kind, String namespace, String name,
            Map<String, String> labels) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(apiVersion);
        r.setKind(kind);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setLabels(labels);
        r.setMetadata(meta);
        return r;
    }

    static GenericKubernetesResource with(GenericKubernetesResource r, String field, Object value) {
        r.setAdditionalProperty(field, value);
        return r;
    }

    /** A PolicyRule. */
    static Map<String, Object> rule(List<String> apiGroups, List<String> resources, List<String> verbs) {
        return map("apiGroups", apiGroups, "resources", resources, "verbs", verbs);
    }

    /** A PolicyRule limited to named objects. */
    static Map<String, Object> rule(List<String> apiGroups, List<String> resources, List<String> resourceNames,
            List<String> verbs) {
        return map("apiGroups", apiGroups, "resources", resources, "resourceNames", resourceNames, "verbs", verbs);
    }
}
