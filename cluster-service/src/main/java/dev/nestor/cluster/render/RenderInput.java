package dev.nestor.cluster.render;

import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.TenantClusterSpec;

import java.util.Set;

/**
 * Everything a render depends on: the accepted (defaulted) spec, the versions decided by the
 * reconciler, the catalog, and the template names live MachineSets still reference.
 */
public record RenderInput(String namespace, String name, TenantClusterSpec spec, String controlPlaneVersion,
        String workerVersion, String workerImage, Catalog catalog, Set<String> liveTemplates) {
}
