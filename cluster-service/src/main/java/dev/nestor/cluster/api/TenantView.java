package dev.nestor.cluster.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.nestor.cluster.apply.Tenant;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.TenantSpec;

import java.util.List;

/**
 * A tenant as REST returns it: the allow-lists in force (onboarded ones, else configuration) and its quota, absent
 * when the namespace has none.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantView(String name, String namespace, List<String> dataStores, List<String> storageClasses,
        List<String> gpuModels, TenantSpec.Quota quota) {

    static TenantView of(Tenant tenant, Catalog.Policy policy, Integer clusterQuota) {
        return new TenantView(tenant.name(), tenant.namespace(), policy.dataStores(), policy.storageClasses(),
                policy.gpuModels(), clusterQuota == null ? null : new TenantSpec.Quota(clusterQuota));
    }
}
