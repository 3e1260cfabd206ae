package dev.nestor.autoscaler.apply;

import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients of tenant API servers, one per cluster, made from the admin kubeconfig Secret cluster-service names in
 * its snapshot. The admin credential is used only to manage the autoscaler's own identity in the tenant; it never
 * leaves this process.
 */
public final class TenantConnections implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final KubernetesClient management;
    private final String kubeconfigKey;
    private final Map<String, TenantConnection> connections = new ConcurrentHashMap<>();

    public TenantConnections(KubernetesClient management, String kubeconfigKey) {
        this.management = management;
        this.kubeconfigKey = kubeconfigKey;
    }

    /** A connection to the tenant of cluster {@code key}; empty while the admin kubeconfig Secret is not there. */
    public Optional<TenantConnection> connect(String key, String namespace, String secretName) {
        Secret secret = management.secrets().inNamespace(namespace).withName(secretName).get();
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(kubeconfigKey);
        if (encoded == null) {
            return Optional.empty();
        }
        String kubeconfig = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        String fingerprint = Integer.toHexString(kubeconfig.hashCode()) + ":" + kubeconfig.length();
        TenantConnection current = connections.get(key);
        if (current != null && current.fingerprint().equals(fingerprint)) {
            return Optional.of(current);
        }
        TenantConnection fresh = open(fingerprint, kubeconfig);
        TenantConnection old = connections.put(key, fresh);
        if (old != null) {
            old.client().close();
        }
        return Optional.of(fresh);
    }

    /** Closes the connection of a cluster that is gone, or no longer needs one. */
    public void forget(String key) {
        TenantConnection old = connections.remove(key);
        if (old != null) {
            old.client().close();
        }
    }

    @Override
    public void close() {
        connections.keySet().forEach(this::forget);
    }

    private static TenantConnection open(String fingerprint, String kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setConnectionTimeout(TIMEOUT_MILLIS);
        config.setRequestTimeout(TIMEOUT_MILLIS);
        io.fabric8.kubernetes.api.model.Config parsed = KubeConfigUtils.parseConfigFromString(kubeconfig);
        String contextName = parsed.getCurrentContext();
        String clusterName = parsed.getContexts().stream().filter(c -> c.getName().equals(contextName))
                .map(NamedContext::getContext).map(Context::getCluster).findFirst()
                .orElse(parsed.getClusters().isEmpty() ? null : parsed.getClusters().get(0).getName());
        Cluster cluster = parsed.getClusters().stream().filter(c -> c.getName().equals(clusterName))
                .map(NamedCluster::getCluster).findFirst()
                .orElseThrow(() -> new IllegalStateException("the admin kubeconfig names no cluster"));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        return new TenantConnection(fingerprint, client, cluster.getServer(), cluster.getCertificateAuthorityData());
    }
}
