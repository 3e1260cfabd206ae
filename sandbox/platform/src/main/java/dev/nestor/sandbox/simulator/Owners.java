package dev.nestor.sandbox.simulator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Owner references as Cluster API sets them (and only the reference fields a merge patch needs). */
final class Owners {

    private Owners() {
    }

    /** The controller reference of an object to its owner (blocking the owner's foreground deletion). */
    static OwnerReference controller(Kind kind, GenericKubernetesResource owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(kind.apiVersion())
                .withKind(kind.kind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    static Map<String, Object> reference(Kind kind, GenericKubernetesResource owner, boolean controller) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", kind.apiVersion());
        ref.put("kind", kind.kind());
        ref.put("name", owner.getMetadata().getName());
        ref.put("uid", owner.getMetadata().getUid());
        if (controller) {
            ref.put("controller", true);
            ref.put("blockOwnerDeletion", true);
        }
        return ref;
    }

    /**
     * Adds an owner reference to the Cluster and the {@code cluster.x-k8s.io/cluster-name} label to an object, as the
     * Cluster and MachineDeployment controllers do for the objects they reference. No-op when both are there.
     */
    static void ensureClusterOwned(Api api, Kind kind, GenericKubernetesResource object,
            GenericKubernetesResource cluster) {
        String clusterName = cluster.getMetadata().getName();
        boolean owned = Fields.ownedBy(object, cluster);
        boolean labelled = clusterName.equals(Fields.label(object, Labels.CLUSTER_NAME));
        if (owned && labelled) {
            return;
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("labels", Map.of(Labels.CLUSTER_NAME, clusterName));
        if (!owned) {
            List<Object> refs = new ArrayList<>();
            for (OwnerReference ref : Fields.ownerRefs(object.getMetadata())) {
                Map<String, Object> existing = new LinkedHashMap<>();
                existing.put("apiVersion", ref.getApiVersion());
                existing.put("kind", ref.getKind());
                existing.put("name", ref.getName());
                existing.put("uid", ref.getUid());
                if (ref.getController() != null) {
                    existing.put("controller", ref.getController());
                }
                if (ref.getBlockOwnerDeletion() != null) {
                    existing.put("blockOwnerDeletion", ref.getBlockOwnerDeletion());
                }
                refs.add(existing);
            }
            refs.add(reference(Kind.CLUSTER, cluster, false));
            metadata.put("ownerReferences", refs);
            metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
        }
        api.mergePatch(kind, object.getMetadata().getNamespace(), object.getMetadata().getName(),
                Map.of("metadata", metadata), Managers.CAPI);
    }
}
