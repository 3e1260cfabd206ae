package dev.nestor.sandbox.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulator's only path to the management API server: generic reads, server-side applies under the field
 * manager of the upstream controller being simulated, merge patches for the fields those controllers update in place,
 * and deletes that tolerate objects already gone.
 */
final class Api {

    /** A plain mapper: merge patches need their {@code null}s written. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;

    Api(KubernetesClient client) {
        this.client = client;
    }

    KubernetesClient client() {
        return client;
    }

    GenericKubernetesResource get(Kind kind, String namespace, String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        try {
            return resources(kind, namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    List<GenericKubernetesResource> list(Kind kind, String namespace) {
        return resources(kind, namespace).list().getItems();
    }

    List<GenericKubernetesResource> list(Kind kind, String namespace, String labelKey, String labelValue) {
        return resources(kind, namespace).withLabel(labelKey, labelValue).list().getItems();
    }

    /**
     * Applies a whole object (server-side apply, forced) under {@code manager}: how the simulated controllers
     * create the objects they own.
     */
    GenericKubernetesResource apply(Kind kind, GenericKubernetesResource object, String manager) {
        object.setApiVersion(kind.apiVersion());
        object.setKind(kind.kind());
        return resources(kind, object.getMetadata().getNamespace()).resource(object)
                .fieldManager(manager).forceConflicts().serverSideApply();
    }

    /**
     * Writes {@code status} through the status subresource unless the object already has exactly that status: a
     * controller writes status only when it changed. The write is a JSON merge patch computed against the status read
     * (as Cluster API's patch helper does), so fields this controller no longer reports are removed.
     *
     * @return whether a write happened
     */
    boolean applyStatus(Kind kind, GenericKubernetesResource current, Map<String, Object> status, String manager) {
        Object previous = current.getAdditionalProperties().get("status");
        if (sameJson(previous, status)) {
            return false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()));
        body.put("status", MergePatch.diff(previous, status));
        resources(kind, current.getMetadata().getNamespace()).withName(current.getMetadata().getName())
                .subresource("status").patch(mergeContext(manager), json(body));
        return true;
    }

    /** A JSON merge patch of the main resource, for fields upstream controllers update in place. */
    void mergePatch(Kind kind, String namespace, String name, Map<String, Object> patch, String manager) {
        resources(kind, namespace).withName(name).patch(mergeContext(manager), json(patch));
    }

    /** A JSON merge patch of the status subresource. */
    void mergePatchStatus(Kind kind, String namespace, String name, Map<String, Object> patch, String manager) {
        resources(kind, namespace).withName(name).subresource("status").patch(mergeContext(manager), json(patch));
    }

    /** Sets the finalizers of an object to exactly {@code finalizers}, guarded by its resourceVersion. */
    void setFinalizers(Kind kind, GenericKubernetesResource object, List<String> finalizers, String manager) {
        ObjectMeta metadata = object.getMetadata();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("finalizers", finalizers);
        meta.put("resourceVersion", metadata.getResourceVersion());
        mergePatch(kind, metadata.getNamespace(), metadata.getName(), Map.of("metadata", meta), manager);
    }

    /** Deletes an object; one that is already gone counts as deleted. */
    void delete(Kind kind, String namespace, String name) {
        try {
            resources(kind, namespace).withName(name).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> resources(Kind kind, String namespace) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace);
    }


    private static PatchContext mergeContext(String manager) {
        return new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(manager).build();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
        }
    }

    /** Whether two JSON-like values are equal once serialised (so 1 and 1L compare equal). */
    static boolean sameJson(Object left, Object right) {
        return tree(left).equals(tree(right));
    }

    private static JsonNode tree(Object value) {
        try {
            return JSON.readTree(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getMessage(), e);
        }
    }
}
