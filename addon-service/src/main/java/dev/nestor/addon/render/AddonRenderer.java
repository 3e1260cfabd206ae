package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.catalog.CatalogEntry;
import dev.nestor.addon.catalog.ChartSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Flux objects of a cluster's add-ons, as a pure function of the catalog, the cluster's facts and its
 * {@code spec.addons} (DESIGN §6): per enabled add-on a source and a HelmRelease {@code <cluster>-<addon>} that
 * installs into the tenant through the admin kubeconfig, CNI first, retrying forever.
 */
public final class AddonRenderer {

    /** How often Flux re-checks a release and its source when nothing changed. */
    static final String INTERVAL = "5m";
    static final String SOURCE_INTERVAL = "1h";
    /** A Helm action's timeout: a cluster whose workers are still joining needs patience, not a failure. */
    static final String TIMEOUT = "10m";
    /** How soon RetryOnFailure tries again (cozystack's value; Flux's default is 5m). */
    static final String RETRY_INTERVAL = "30s";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AddonRenderer() {
    }

    /** The enabled add-ons of a cluster, rendered, in catalog order. */
    public static List<DesiredAddon> render(AddonCatalog catalog, ClusterFacts cluster,
            Map<String, AddonRequest> requests) {
        Set<String> enabled = enabled(catalog, requests);
        Map<String, Object> variables = cluster.variables();
        List<DesiredAddon> desired = new ArrayList<>();
        for (CatalogEntry entry : catalog.entries()) {
            if (!enabled.contains(entry.name())) {
                continue;
            }
            AddonRequest request = requests.getOrDefault(entry.name(), new AddonRequest(null, null, null));
            String version = request.version() != null ? request.version() : entry.version();
            List<String> dependsOn = dependencies(catalog, entry, enabled);
            JsonNode values = Values.deepMerge(Values.substitute(entry.values(), variables), request.values());
            desired.add(new DesiredAddon(entry, version, dependsOn, source(cluster, entry, version),
                    release(cluster, entry, version, dependsOn, values)));
        }
        return desired;
    }

    /**
     * The names of the add-ons a cluster runs: the user's switch, else the catalog's default. A CNI the user enables
     * replaces the default one (at most one CNI; cluster-service's validator refuses two).
     */
    public static Set<String> enabled(AddonCatalog catalog, Map<String, AddonRequest> requests) {
        boolean cniChosen = catalog.entries().stream().anyMatch(e -> e.isCni() && !e.builtIn()
                && requests.containsKey(e.name()) && Boolean.TRUE.equals(requests.get(e.name()).enabled()));
        Set<String> enabled = new LinkedHashSet<>();
        for (CatalogEntry entry : catalog.entries()) {
            if (entry.builtIn()) {
                continue;
            }
            AddonRequest request = requests.get(entry.name());
            boolean byDefault = entry.defaultEnabled() && !(entry.isCni() && cniChosen);
            if (request != null && request.enabled() != null ? request.enabled() : byDefault) {
                enabled.add(entry.name());
            }
        }
        return enabled;
    }

    private static List<String> dependencies(AddonCatalog catalog, CatalogEntry entry, Set<String> enabled) {
        Set<String> resolved = new LinkedHashSet<>();
        for (String dependency : entry.dependsOn()) {
            if (CatalogEntry.CNI.equals(dependency)) {
                catalog.entries().stream().filter(e -> e.isCni() && enabled.contains(e.name()))
                        .forEach(e -> resolved.add(e.name()));
            } else if (enabled.contains(dependency)) {
                // A dependency the cluster does not run is dropped: Flux would wait for it forever.
                resolved.add(dependency);
            }
        }
        return List.copyOf(resolved);
    }

    static GenericKubernetesResource source(ClusterFacts cluster, CatalogEntry entry, String version) {
        ObjectNode spec = NODES.objectNode();
        spec.put("url", entry.source().url());
        spec.put("interval", SOURCE_INTERVAL);
        if (entry.source().kind() == ChartSource.Kind.OCIRepository) {
            spec.putObject("ref").put("tag", version);
            spec.putObject("layerSelector").put("mediaType", Flux.HELM_CHART_LAYER).put("operation", "copy");
        }
        return object(Flux.SOURCE_API, entry.source().kind().name(), cluster, entry, spec);
    }

    static GenericKubernetesResource release(ClusterFacts cluster, CatalogEntry entry, String version,
            List<String> dependsOn, JsonNode values) {
        String kubeconfig = cluster.kubeconfigSecretName() != null
                ? cluster.kubeconfigSecretName() : Names.adminKubeconfig(cluster.name());
        ObjectNode spec = NODES.objectNode();
        spec.put("interval", INTERVAL);
        spec.put("timeout", TIMEOUT);
        // Names chosen here, not by Flux: its default release name would carry the tenant namespace, and its default
        // storage namespace (the HelmRelease's) does not exist in the tenant cluster.
        spec.put("releaseName", entry.name());
        spec.put("targetNamespace", entry.targetNamespace());
        spec.put("storageNamespace", entry.targetNamespace());
        spec.putObject("kubeConfig").putObject("secretRef")
                .put("name", kubeconfig).put("key", Names.KUBECONFIG_KEY);
        String sourceName = Names.release(cluster.name(), entry.name());
        if (entry.source().kind() == ChartSource.Kind.OCIRepository) {
            spec.putObject("chartRef").put("kind", Flux.OCI_REPOSITORY).put("name", sourceName);
        } else {
            ObjectNode chart = spec.putObject("chart").putObject("spec");
            chart.put("chart", entry.chart());
            chart.put("version", version);
            chart.put("interval", SOURCE_INTERVAL);
            chart.putObject("sourceRef").put("kind", Flux.HELM_REPOSITORY).put("name", sourceName);
        }
        if (!dependsOn.isEmpty()) {
            ArrayNode deps = spec.putArray("dependsOn");
            dependsOn.forEach(d -> deps.addObject().put("name", Names.release(cluster.name(), d)));
        }
        ObjectNode install = spec.putObject("install");
        install.put("createNamespace", true);
        install.put("crds", "CreateReplace");
        action(install, entry);
        ObjectNode upgrade = spec.putObject("upgrade");
        upgrade.put("crds", "CreateReplace");
        action(upgrade, entry);
        spec.set("values", values);
        return object(Flux.HELM_RELEASE_API, Flux.HELM_RELEASE, cluster, entry, spec);
    }

    /**
     * Unlimited retries: a cluster whose workers have not joined yet cannot run the CNI, and a release must converge
     * once they have rather than stall. RetryOnFailure (CNI, CSI) retries without uninstalling in between.
     */
    private static void action(ObjectNode action, CatalogEntry entry) {
        ObjectNode strategy = action.putObject("strategy").put("name", entry.strategy().name());
        if (entry.strategy() == CatalogEntry.Strategy.RetryOnFailure) {
            strategy.put("retryInterval", RETRY_INTERVAL);
        }
        action.putObject("remediation").put("retries", -1);
    }

    private static GenericKubernetesResource object(String apiVersion, String kind, ClusterFacts cluster,
            CatalogEntry entry, ObjectNode spec) {
        ObjectNode object = NODES.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", Names.release(cluster.name(), entry.name()));
        metadata.put("namespace", cluster.namespace());
        ObjectNode labels = metadata.putObject("labels");
        Labels.of(cluster.name(), cluster.uid(), cluster.tenant(), entry.name()).forEach(labels::put);
        object.set("spec", spec);
        return JSON.convertValue(object, GenericKubernetesResource.class);
    }
}
