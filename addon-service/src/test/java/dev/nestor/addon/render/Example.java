package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.addon.catalog.AddonCatalog;

import java.util.List;
import java.util.Map;

/** The example cluster of the issue: cilium, coredns, csi, metrics-server and cert-manager. */
public final class Example {
    public static final AddonCatalog CATALOG = AddonCatalog.load();
    static final ObjectMapper JSON = new ObjectMapper();

    private Example() {
    }

    public static JsonNode spec(String addonsJson) {
        try {
            return JSON.readTree("{\"network\":{\"serviceCidr\":\"10.96.0.0/16\"},\"addons\":" + addonsJson + "}");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The example's spec.addons, with a user value for Cilium. */
    public static final String ADDONS = """
            {"cilium":{"enabled":true,"values":{"hubble":{"enabled":true},"operator":{"replicas":2}}},
             "coredns":{"enabled":true},"kubevirt-csi-node":{"enabled":true},"metrics-server":{"enabled":true},
             "cert-manager":{"enabled":true,"version":"v1.18.2"}}""";

    public static ClusterFacts facts(JsonNode spec) {
        return ClusterFacts.of("tenant-acme", "demo", "0b5e2f0c-1111-4222-8333-944455556666", "acme",
                "demo-admin-kubeconfig", "https://10.0.0.7:6443", spec);
    }

    public static List<DesiredAddon> render(String addons) {
        JsonNode spec = spec(addons);
        return AddonRenderer.render(CATALOG, facts(spec), AddonRequest.fromSpec(spec));
    }

    public static Map<String, AddonRequest> requests(String addons) {
        return AddonRequest.fromSpec(spec(addons));
    }
}
