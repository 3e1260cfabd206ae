package dev.nestor.support.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Map;

/**
 * The one write path of a service (STYLE "One apply path"): server-side apply under a fixed
 * field manager, delete by name, list by label. Nothing else in a service writes objects it owns.
 */
public final class Applier {
    private final KubernetesClient client;
    private final String fieldManager;

    public Applier(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    public String fieldManager() {
        return fieldManager;
    }

    /**
     * Applies {@code desired} with server-side apply, forcing ownership of the fields it names:
     * this service is the single writer of those fields (DESIGN §2.1).
     */
    public GenericKubernetesResource apply(ResourceDefinitionContext kind, GenericKubernetesResource desired) {
        var kindOperation = client.genericKubernetesResources(kind);
        return (kind.isNamespaceScoped() ? kindOperation.inNamespace(desired.getMetadata().getNamespace()) : kindOperation)
                .resource(desired)
                .fieldManager(fieldManager)
                .forceConflicts()
                .serverSideApply();
    }

    /** Deletes one object; true when it existed. */
    public boolean delete(ResourceDefinitionContext kind, String namespace, String name) {
        try {
            return !client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).delete().isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Objects of a kind in a namespace carrying every given label. */
    public List<GenericKubernetesResource> list(ResourceDefinitionContext kind, String namespace, Map<String, String> labels) {
        return client.genericKubernetesResources(kind).inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** A {@link ResourceDefinitionContext} for a namespaced kind, without asking discovery. */
    public static ResourceDefinitionContext namespaced(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** A {@link ResourceDefinitionContext} for a cluster-scoped kind (a Namespace), without asking discovery. */
    public static ResourceDefinitionContext clusterScoped(String group, String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(false).build();
    }

}
