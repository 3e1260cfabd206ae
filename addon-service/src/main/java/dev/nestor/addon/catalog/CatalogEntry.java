package dev.nestor.addon.catalog;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/**
 * One add-on of the catalog, as {@code catalog.yaml} describes it.
 *
 * @param name            the key under a TenantCluster's {@code spec.addons}
 * @param category        e.g. {@code cni}, {@code storage}
 * @param builtIn         not installed by addon-service (Konnectivity: a Kamaji add-on rendered by cluster-service)
 * @param defaultEnabled  on unless the spec says {@code enabled: false}
 * @param required        whether the cluster's {@code Ready} waits for it while it is enabled
 * @param source          where the chart comes from; null for a built-in
 * @param chart           the chart name in a HelmRepository; null for an OCIRepository (the artifact is the chart)
 * @param version         the default chart version (a tag for an OCIRepository)
 * @param targetNamespace the tenant namespace it installs into
 * @param strategy        the Flux install/upgrade strategy
 * @param dependsOn       catalog names, or {@link #CNI} for whichever CNI the cluster runs
 * @param values          the chart values before the user's
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogEntry(String name, String description, String category, boolean builtIn, boolean defaultEnabled,
        boolean required, ChartSource source, String chart, String version, String targetNamespace, Strategy strategy,
        List<String> dependsOn, JsonNode values) {

    /** The dependency that means "the cluster's CNI, whichever it is". */
    public static final String CNI = "cni";
    /** The category of the network plugins, exactly one of which a cluster runs. */
    public static final String CNI_CATEGORY = "cni";

    /** Flux's install/upgrade strategies (helm-controller 1.4+). */
    public enum Strategy {
        /** Retry without uninstalling: a failed CNI install must never take the network down between attempts. */
        RetryOnFailure,
        /** Flux's default: remediate (uninstall, roll back) a failure before the next attempt. */
        RemediateOnFailure
    }

    public CatalogEntry {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        values = values == null ? JsonNodeFactory.instance.objectNode() : values;
    }

    public boolean isCni() {
        return CNI_CATEGORY.equals(category);
    }
}
