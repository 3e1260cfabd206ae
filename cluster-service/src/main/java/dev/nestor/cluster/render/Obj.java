package dev.nestor.cluster.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.Map;

/** The skeleton of a rendered object (maps and lists come from {@link dev.nestor.support.render.Ordered}). */
final class Obj {
    private Obj() {
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
