package dev.nestor.addon.render;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the renderer knows of a cluster, from its state snapshot and TenantCluster.
 *
 * @param namespace            the tenant namespace (where the releases live)
 * @param name                 the TenantCluster name
 * @param uid                  the TenantCluster uid
 * @param tenant               the tenant
 * @param kubeconfigSecretName the admin kubeconfig Secret; null until the control plane wrote it
 * @param endpoint             the control-plane endpoint {@code https://host:port}; null until known
 * @param podCidr              the tenant pod network
 * @param serviceCidr          the tenant service network
 * @param serviceDomain        the tenant cluster domain
 */
public record ClusterFacts(String namespace, String name, String uid, String tenant, String kubeconfigSecretName,
        String endpoint, String podCidr, String serviceCidr, String serviceDomain) {

    /** cluster-service's defaults for a spec that names no network (SpecDefaults). */
    static final String POD_CIDR = "10.243.0.0/16";
    static final String SERVICE_CIDR = "10.95.0.0/16";
    static final String SERVICE_DOMAIN = "cluster.local";

    /** The facts of a cluster whose spec (with or without add-on values) is {@code spec}. */
    public static ClusterFacts of(String namespace, String name, String uid, String tenant, String kubeconfigSecretName,
            String endpoint, JsonNode spec) {
        JsonNode network = spec == null ? null : spec.path("network");
        return new ClusterFacts(namespace, name, uid, tenant, kubeconfigSecretName, endpoint,
                text(network, "podCidr", POD_CIDR), text(network, "serviceCidr", SERVICE_CIDR),
                text(network, "serviceDomain", SERVICE_DOMAIN));
    }

    /**
     * The variables catalog values may name as {@code ${var}}. The DNS address is the tenth of the service network,
     * as kubeadm configures the kubelet's clusterDNS.
     */
    public Map<String, Object> variables() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("cluster", name);
        vars.put("namespace", namespace);
        vars.put("tenant", tenant);
        URI uri = endpoint == null ? null : URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint);
        vars.put("endpointHost", uri == null || uri.getHost() == null ? name + "." + namespace + ".svc" : uri.getHost());
        vars.put("endpointPort", uri == null || uri.getPort() < 0 ? 6443 : uri.getPort());
        vars.put("podCidr", podCidr);
        vars.put("serviceCidr", serviceCidr);
        vars.put("serviceDomain", serviceDomain);
        vars.put("dnsServiceIp", nthAddress(serviceCidr, 10));
        return vars;
    }

    private static String nthAddress(String cidr, int n) {
        String[] parts = cidr.split("/")[0].split("\\.");
        long address = 0;
        for (String part : parts) {
            address = address << 8 | Integer.parseInt(part);
        }
        address += n;
        return (address >> 24 & 255) + "." + (address >> 16 & 255) + "." + (address >> 8 & 255) + "." + (address & 255);
    }

    private static String text(JsonNode node, String field, String otherwise) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : otherwise;
    }
}
