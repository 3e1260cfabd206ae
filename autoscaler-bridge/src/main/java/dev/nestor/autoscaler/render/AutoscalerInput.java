package dev.nestor.autoscaler.render;

/**
 * What the management-side objects of one cluster's autoscaler are rendered from.
 *
 * @param namespace the tenant namespace of the TenantCluster
 * @param cluster the TenantCluster (and CAPI Cluster) name
 * @param kubernetesVersion the version the tenant's control plane runs (or, before it reports one, the spec's)
 * @param image the cluster-autoscaler image whose minor matches it
 * @param settings the per-cluster scale-down settings
 * @param tenantKubeconfig the kubeconfig of the autoscaler's least-privilege tenant identity
 */
public record AutoscalerInput(String namespace, String cluster, String kubernetesVersion, String image,
        ScaleDownSettings settings, String tenantKubeconfig) {
}
