package dev.nestor.autoscaler.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.Map;

import static dev.nestor.support.render.Ordered.list;
import static dev.nestor.support.render.Ordered.map;

/**
 * The kubeconfig of the autoscaler's tenant identity: the tenant API server and CA of the admin kubeconfig, with the
 * ServiceAccount's token instead of the admin credential. Written as JSON, which kubeconfig loaders read as YAML.
 *
 * @param server the tenant API server URL as seen from the management cluster
 * @param certificateAuthorityData the base64 PEM CA bundle, absent when the admin kubeconfig has none
 * @param token the ServiceAccount token
 */
public record TenantKubeconfig(String server, String certificateAuthorityData, String token) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The kubeconfig text for cluster {@code cluster}. */
    public String render(String cluster) {
        String user = Names.TENANT_SERVICE_ACCOUNT;
        Map<String, Object> config = map(
                "apiVersion", "v1",
                "kind", "Config",
                "clusters", list(map("name", cluster, "cluster",
                        map("server", server, "certificate-authority-data", certificateAuthorityData))),
                "users", list(map("name", user, "user", map("token", token))),
                "contexts", list(map("name", user + "@" + cluster,
                        "context", map("cluster", cluster, "user", user, "namespace", Names.TENANT_NAMESPACE))),
                "current-context", user + "@" + cluster);
        try {
            return JSON.writeValueAsString(config) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
    }
}
