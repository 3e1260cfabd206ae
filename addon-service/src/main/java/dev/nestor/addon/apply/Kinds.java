package dev.nestor.addon.apply;

import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;

/** The API kinds addon-service reads and writes, without asking discovery. */
public final class Kinds {
    public static final ResourceDefinitionContext HELM_RELEASE =
            Applier.namespaced("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases");
    public static final ResourceDefinitionContext HELM_REPOSITORY =
            Applier.namespaced("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories");
    public static final ResourceDefinitionContext OCI_REPOSITORY =
            Applier.namespaced("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories");
    /** Read for the add-ons' values (the state topic carries none) and before destructive steps. */
    public static final ResourceDefinitionContext TENANT_CLUSTER =
            Applier.namespaced("nestor.dev", "v1alpha1", "TenantCluster", "tenantclusters");
    /** The source kinds, in the order they are cleaned up after the releases. */
    public static final List<ResourceDefinitionContext> SOURCES = List.of(HELM_REPOSITORY, OCI_REPOSITORY);

    private Kinds() {
    }

    /** The context of a kind the renderer produces. */
    public static ResourceDefinitionContext of(String kind) {
        return switch (kind) {
            case "HelmRelease" -> HELM_RELEASE;
            case "HelmRepository" -> HELM_REPOSITORY;
            case "OCIRepository" -> OCI_REPOSITORY;
            default -> throw new IllegalArgumentException("addon-service does not write " + kind);
        };
    }
}
