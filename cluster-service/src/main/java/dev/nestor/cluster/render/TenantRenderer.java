package dev.nestor.cluster.render;

import dev.nestor.support.render.Ordered;
import dev.nestor.events.ObjectKeys;
import dev.nestor.cluster.config.Catalog;
import dev.nestor.cluster.model.TenantSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tenant as objects (DESIGN §3): its namespace, labelled with the tenant and annotated with the onboarded
 * allow-lists, and the ResourceQuota that caps its clusters. Pure.
 */
public final class TenantRenderer {
    /** The ResourceQuota of a tenant namespace. */
    public static final String QUOTA = "nestor-tenant-quota";
    /** The object-count quota of TenantClusters, enforced by the management API server. */
    public static final String CLUSTER_COUNT = "count/tenantclusters.nestor.dev";

    private TenantRenderer() {
    }

    /** The tenant namespace's LoadBalancer address pool, comma-separated; csi-bridge reads it. */
    public static final String LOAD_BALANCER_ADDRESSES = ObjectKeys.LOAD_BALANCER_ADDRESSES;

    /** The namespace {@code tenant-<t>}; lists the spec leaves out are not annotated (configuration applies). */
    public static GenericKubernetesResource namespace(String tenant, TenantSpec spec) {
        Map<String, String> annotations = Catalog.Policy.annotations(spec.dataStores(), spec.storageClasses(),
                spec.gpuModels());
        if (spec.loadBalancerAddresses() != null && !spec.loadBalancerAddresses().isEmpty()) {
            annotations.put(LOAD_BALANCER_ADDRESSES, String.join(",", spec.loadBalancerAddresses()));
        }
        return resource("Namespace", null, Names.tenantNamespace(tenant), tenant, annotations, null);
    }

    /** The quota of the tenant namespace. */
    public static GenericKubernetesResource quota(String tenant, int clusters) {
        return resource("ResourceQuota", Names.tenantNamespace(tenant), QUOTA, tenant, Map.of(),
                Ordered.map("hard", Ordered.map(CLUSTER_COUNT, Integer.toString(clusters))));
    }

    private static GenericKubernetesResource resource(String kind, String namespace, String name, String tenant,
            Map<String, String> annotations, Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("v1");
        r.setKind(kind);
        ObjectMeta meta = new ObjectMeta();
        meta.setName(name);
        meta.setNamespace(namespace);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGER);
        labels.put(Labels.TENANT, tenant);
        meta.setLabels(labels);
        if (!annotations.isEmpty()) {
            meta.setAnnotations(annotations);
        }
        r.setMetadata(meta);
        if (spec != null) {
            r.setAdditionalProperty("spec", spec);
        }
        return r;
    }
}
