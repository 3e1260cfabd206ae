package dev.nestor.addon.render;

import dev.nestor.addon.catalog.CatalogEntry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;

/**
 * One enabled add-on of one cluster, rendered.
 *
 * @param entry     its catalog entry
 * @param version   the chart version asked for (the user's or the catalog's)
 * @param dependsOn the add-ons it waits for, resolved against what the cluster enables
 * @param source    the Flux HelmRepository or OCIRepository
 * @param release   the Flux HelmRelease
 */
public record DesiredAddon(CatalogEntry entry, String version, List<String> dependsOn,
        GenericKubernetesResource source, GenericKubernetesResource release) {

    public String name() {
        return entry.name();
    }

    public List<GenericKubernetesResource> objects() {
        return List.of(source, release);
    }
}
