package dev.nestor.addon.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.render.AddonRenderer;
import dev.nestor.addon.render.AddonRequest;
import dev.nestor.addon.render.ClusterFacts;
import dev.nestor.addon.render.DesiredAddon;
import dev.nestor.addon.render.Labels;
import dev.nestor.events.payload.AddonState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One cluster as addon-service sees it, a pure function of the TenantCluster and its HelmReleases: what it asks
 * for (from the last accepted spec, values included: the state topic carries none), the Flux objects that gives,
 * and where each add-on stands.
 *
 * @param facts             identity and network of the cluster
 * @param generation        the spec generation the view reflects
 * @param controlPlaneReady whether the admin kubeconfig Secret exists (nothing is applied before)
 * @param desired           the enabled add-ons, rendered
 * @param stale             releases of this uid whose add-on is no longer enabled
 * @param states            every add-on's state
 */
public record ClusterView(ClusterFacts facts, long generation, boolean controlPlaneReady, List<DesiredAddon> desired,
        List<GenericKubernetesResource> stale, List<AddonState> states) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The view of TenantCluster {@code tc} given the HelmReleases carrying its name (releases of another uid, left
     * by an earlier cluster of the same name, are not its own and are ignored here).
     */
    public static ClusterView of(AddonCatalog catalog, String tenant, GenericKubernetesResource tc,
            List<GenericKubernetesResource> releases) {
        JsonNode object = JSON.valueToTree(tc);
        JsonNode status = object.path("status");
        JsonNode spec = status.path("acceptedSpec").isObject() ? status.path("acceptedSpec") : object.path("spec");
        long generation = status.path("acceptedGeneration").isNumber() ? status.path("acceptedGeneration").asLong()
                : tc.getMetadata().getGeneration() == null ? 0 : tc.getMetadata().getGeneration();
        String kubeconfig = text(status.path("kubeconfigSecretName"));
        ClusterFacts facts = ClusterFacts.of(tc.getMetadata().getNamespace(), tc.getMetadata().getName(),
                tc.getMetadata().getUid(), tenant, kubeconfig, text(status.path("endpoint")), spec);
        Map<String, AddonRequest> requests = AddonRequest.fromSpec(spec);
        List<DesiredAddon> desired = AddonRenderer.render(catalog, facts, requests);
        Set<String> enabled = desired.stream().map(DesiredAddon::name).collect(Collectors.toSet());
        Map<String, GenericKubernetesResource> own = new LinkedHashMap<>();
        releases.stream().filter(r -> facts.uid().equals(label(r, Labels.CLUSTER_UID)) && label(r, Labels.ADDON) != null)
                .forEach(r -> own.put(label(r, Labels.ADDON), r));
        List<GenericKubernetesResource> stale = own.entrySet().stream().filter(e -> !enabled.contains(e.getKey()))
                .map(Map.Entry::getValue).toList();
        Set<String> switchedOff = requests.entrySet().stream()
                .filter(e -> Boolean.FALSE.equals(e.getValue().enabled()) && catalog.find(e.getKey()).isPresent()
                        && !catalog.find(e.getKey()).get().builtIn())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        List<AddonState> states = AddonStates.derive(desired, switchedOff, own, kubeconfig != null);
        return new ClusterView(facts, generation, kubeconfig != null, desired, stale, states);
    }

    static String label(GenericKubernetesResource object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }
}
