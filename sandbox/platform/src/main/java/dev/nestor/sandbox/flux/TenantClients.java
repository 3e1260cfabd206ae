package dev.nestor.sandbox.flux;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients to tenant API servers, built from the kubeconfig a HelmRelease's {@code spec.kubeConfig.secretRef} names,
 * as helm-controller does on every reconcile (so a rotated or re-pointed kubeconfig is picked up); one client is kept
 * per Secret and replaced when its kubeconfig changes.
 */
final class TenantClients implements AutoCloseable {

    /** Where a release's kubeconfig stands. */
    sealed interface Access {
        /** The Secret or its key does not exist. */
        record Missing(String what) implements Access {
        }

        /** A client for the tenant API the kubeconfig names. */
        record Client(KubernetesClient client, String server) implements Access {
        }
    }

    private final KubernetesClient management;
    private final Map<String, Cached> clients = new ConcurrentHashMap<>();

    private record Cached(String kubeconfig, KubernetesClient client) {
    }

    TenantClients(KubernetesClient management) {
        this.management = management;
    }

    /** The access a release's kubeconfig Secret gives ({@code key} defaults to {@code value}, as Flux's). */
    Access of(String namespace, String secretName, String key) {
        Secret secret = management.secrets().inNamespace(namespace).withName(secretName).get();
        String dataKey = key == null || key.isBlank() ? "value" : key;
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(dataKey);
        if (encoded == null) {
            return new Access.Missing("kubeconfig Secret " + namespace + "/" + secretName
                    + (secret == null ? " not found" : " has no key " + dataKey));
        }
        String kubeconfig = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        Cached cached = clients.compute(namespace + "/" + secretName, (cacheKey, known) -> {
            if (known != null && known.kubeconfig().equals(kubeconfig)) {
                return known;
            }
            if (known != null) {
                known.client().close();
            }
            return new Cached(kubeconfig, build(kubeconfig));
        });
        return new Access.Client(cached.client(), cached.client().getConfiguration().getMasterUrl());
    }

    /** Whether the tenant API answers; empty when it does, the error otherwise. */
    static Optional<String> unreachable(KubernetesClient client) {
        try {
            client.getKubernetesVersion();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("Kubernetes cluster unreachable: " + rootMessage(e));
        }
    }

    private static KubernetesClient build(String kubeconfig) {
        Config config = Config.fromKubeconfig(kubeconfig);
        config.setConnectionTimeout(2_000);
        config.setRequestTimeout(5_000);
        config.setRequestRetryBackoffLimit(0);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        clients.values().forEach(c -> c.client().close());
        clients.clear();
    }
}
