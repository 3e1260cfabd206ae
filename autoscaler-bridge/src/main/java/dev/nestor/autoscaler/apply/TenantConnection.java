package dev.nestor.autoscaler.apply;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A client of one tenant API, made from the tenant's admin kubeconfig, and what the autoscaler's own kubeconfig
 * copies from it.
 *
 * @param fingerprint identifies the admin kubeconfig it was made from (a rotated credential is a new connection)
 * @param server the tenant API server URL
 * @param certificateAuthorityData the base64 CA bundle, absent when the kubeconfig has none
 */
public record TenantConnection(String fingerprint, KubernetesClient client, String server,
        String certificateAuthorityData) {
}
