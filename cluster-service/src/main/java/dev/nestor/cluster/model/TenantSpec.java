package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What an admin onboards a tenant with ({@code PUT /api/v1/tenants/{tenant}}): its allow-lists and quota. A list left
 * out falls back to configuration ({@code nestor.tenants.<t>.*}, else {@code nestor.default-tenant-policy.*}); a
 * quota left out is the configured default.
 *
 * @param dataStores Kamaji DataStores the tenant's control planes may use
 * @param storageClasses management StorageClasses its worker disks may use; empty allows only the default class
 * @param gpuModels KubeVirt GPU device names its node groups may request
 * @param loadBalancerAddresses IP addresses its LoadBalancer Services may ask for ({@code loadBalancerIP}); csi-bridge
 *        enforces them from the namespace, so there is no configured fallback: left out, none
 * @param quota how much the tenant may own
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantSpec(List<String> dataStores, List<String> storageClasses, List<String> gpuModels,
        List<String> loadBalancerAddresses, Quota quota) {

    /** Limits recorded in the tenant namespace's ResourceQuota. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quota(Integer clusters) {
    }
}
