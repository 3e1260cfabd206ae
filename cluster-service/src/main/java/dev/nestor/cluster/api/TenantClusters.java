package dev.nestor.cluster.api;

import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.render.Names;
import dev.nestor.support.problem.ProblemException;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.regex.Pattern;

/** How every REST resource finds a tenant's namespace and clusters: unknown ones are 404s, alike everywhere. */
@ApplicationScoped
public class TenantClusters {
    /** Kubernetes object names; anything else cannot exist and is answered without asking the API server. */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");

    @Inject
    KubernetesClient client;
    @Inject
    ClusterApi api;

    /** The tenant's namespace; 404 unless it exists and carries the tenant label. */
    public String namespaceOf(String tenant) {
        String namespace = Names.tenantNamespace(tenant);
        if (!Names.TENANT.matcher(tenant).matches() || !tenant.equals(api.tenantOf(namespace))) {
            throw ProblemException.notFound("tenant-not-found", "there is no tenant '" + tenant + "'");
        }
        return namespace;
    }

    /** The cluster, or 404. */
    public TenantCluster find(String tenant, String name) {
        String namespace = namespaceOf(tenant);
        TenantCluster tc = NAME.matcher(name).matches() ? in(namespace).withName(name).get() : null;
        if (tc == null) {
            throw ProblemException.notFound("cluster-not-found", "tenant " + tenant + " has no cluster '" + name + "'");
        }
        return tc;
    }

    /** The TenantClusters of a namespace. */
    public MixedOperation<TenantCluster, KubernetesResourceList<TenantCluster>, Resource<TenantCluster>> in(String ns) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        MixedOperation<TenantCluster, KubernetesResourceList<TenantCluster>, Resource<TenantCluster>> op =
                (MixedOperation) client.resources(TenantCluster.class).inNamespace(ns);
        return op;
    }
}
