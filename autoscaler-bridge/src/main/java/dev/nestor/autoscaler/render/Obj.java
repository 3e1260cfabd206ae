package dev.nestor.autoscaler.render;

import dev.nestor.support.render.Ordered;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;

/** The skeleton of a rendered object (maps and lists come from {@link dev.nestor.support.render.Ordered}). */
final class Obj {
    private Obj() {
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
        return Ordered.map("apiGroups", apiGroups, "resources", resources, "verbs", verbs);
    }

    /** A PolicyRule limited to named objects. */
    static Map<String, Object> rule(List<String> apiGroups, List<String> resources, List<String> resourceNames,
            List<String> verbs) {
        return Ordered.map("apiGroups", apiGroups, "resources", resources, "resourceNames", resourceNames, "verbs", verbs);
    }
}
