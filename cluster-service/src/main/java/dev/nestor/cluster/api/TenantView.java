package dev.nestor.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nestor.cluster.apply.Tenant;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.TenantSpec;
import dev.nestor.cluster.render.TenantRenderer;

import java.util.Arrays;
import java.util.List;

/**
 * A tenant as REST returns it: the allow-lists in force (onboarded ones, else configuration), its LoadBalancer
 * address pool (onboarded only) and its quota, absent when the namespace has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantView(String name, String namespace, List<String> dataStores, List<String> storageClasses,
        List<String> gpuModels, List<String> loadBalancerAddresses, TenantSpec.Quota quota) {

    static TenantView of(Tenant tenant, Catalog.Policy policy, Integer clusterQuota) {
        String pool = tenant.annotations().get(TenantRenderer.LOAD_BALANCER_ADDRESSES);
        List<String> addresses = pool == null ? List.of() : Arrays.stream(pool.split(",")).map(String::strip)
                .filter(a -> !a.isEmpty()).toList();
        return new TenantView(tenant.name(), tenant.namespace(), policy.dataStores(), policy.storageClasses(),
                policy.gpuModels(), addresses, clusterQuota == null ? null : new TenantSpec.Quota(clusterQuota));
    }
}
