package dev.nestor.addon.apply;

import dev.nestor.addon.render.Labels;
import dev.nestor.addon.render.Names;
import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything addon-service reads and writes in the management cluster: Flux sources and HelmReleases (server-side
 * apply under {@value Names#FIELD_MANAGER}, deletes, the suspend and finalizer patches of a teardown) and the
 * TenantCluster it reads values from.
 */
@ApplicationScoped
public class Releases {

    private final KubernetesClient client;
    private final Applier applier;

    @Inject
    public Releases(KubernetesClient client) {
        this.client = client;
        this.applier = new Applier(client, Names.FIELD_MANAGER);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The TenantCluster, if it exists. */
    public Optional<GenericKubernetesResource> tenantCluster(String namespace, String name) {
        return Optional.ofNullable(client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(namespace)
                .withName(name).get());
    }

    /** The HelmReleases addon-service manages for a cluster name, of any uid. */
    public List<GenericKubernetesResource> ofCluster(String namespace, String cluster) {
        return applier.list(Kinds.HELM_RELEASE, namespace, Labels.ofCluster(cluster));
    }

    /** The sources addon-service manages for a cluster name, of any uid. */
    public List<GenericKubernetesResource> sourcesOf(String namespace, String cluster) {
        List<GenericKubernetesResource> sources = new ArrayList<>();
        for (ResourceDefinitionContext kind : Kinds.SOURCES) {
            sources.addAll(applier.list(kind, namespace, Labels.ofCluster(cluster)));
        }
        return sources;
    }

    public void apply(GenericKubernetesResource desired) {
        applier.apply(Kinds.of(desired.getKind()), desired);
    }

    public boolean delete(GenericKubernetesResource object) {
        return applier.delete(Kinds.of(object.getKind()), object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /**
     * Suspends a HelmRelease so Flux's finalizer lets it go without uninstalling (the tenant is being destroyed and
     * its API may already be unreachable). A merge patch, not an apply: the release may have been rendered from a
     * spec that no longer exists, and an apply of {@code suspend} alone would drop every other field this manager owns.
     */
    public void suspend(GenericKubernetesResource release) {
        patch(release, PatchType.JSON_MERGE, "{\"spec\":{\"suspend\":true}}");
    }

    /**
     * Removes Flux's finalizer from a deleted HelmRelease or source that outlived the deletion deadline, so the
     * cluster's teardown ends even when the controller cannot finish its own (DESIGN §5.1: bounded steps).
     */
    public void releaseFinalizers(GenericKubernetesResource object) {
        patch(object, PatchType.JSON_MERGE, "{\"metadata\":{\"finalizers\":null}}");
    }

    private void patch(GenericKubernetesResource object, PatchType type, String body) {
        try {
            client.genericKubernetesResources(Kinds.of(object.getKind()))
                    .inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                    .patch(new PatchContext.Builder().withPatchType(type).build(), body);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
