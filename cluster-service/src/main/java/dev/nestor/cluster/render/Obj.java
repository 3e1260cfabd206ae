package dev.nestor.cluster.render;

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

    static GenericKubernetesResource resource(Kind kind, String namespace, String name, Map<String, String> labels,
            Map<String, String> annotations, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(kind.apiVersion());
        r.setKind(kind.kind());
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        meta.setLabels(labels);
        if (annotations != null && !annotations.isEmpty()) {
            meta.setAnnotations(annotations);
        }
        r.setMetadata(meta);
        r.setAdditionalProperty("spec", spec);
        return r;
    }
}
