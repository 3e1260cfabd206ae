package dev.nestor.cluster.api;

import dev.nestor.support.auth.Caller;
import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.apply.Tenant;
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
    @Inject
    Caller caller;

    /**
     * The tenant, if the caller may act on it; 404 unless it exists, carries the tenant label and is the caller's
     * (or the caller is an admin). Another tenant's path answers exactly as an unknown tenant: existence does not leak.
     */
    public Tenant tenant(String tenant) {
        // The caller is checked first, so another tenant's request never reaches the API server.
        Tenant found = Names.TENANT.matcher(tenant).matches() && caller.mayActOn(tenant)
                ? api.tenant(Names.tenantNamespace(tenant)) : null;
        if (found == null || !tenant.equals(found.name())) {
            throw ProblemException.notFound("tenant-not-found", "there is no tenant '" + tenant + "'");
        }
        return found;
    }

    /** The tenant's namespace; 404 as {@link #tenant(String)} says. */
    public String namespaceOf(String tenant) {
        return tenant(tenant).namespace();
    }

    /** The cluster, or 404. */
    public TenantCluster find(String tenant, String name) {
        return find(tenant(tenant), name);
    }

    /** The cluster of a tenant already resolved, or 404. */
    public TenantCluster find(Tenant tenant, String name) {
        String namespace = tenant.namespace();
        TenantCluster tc = NAME.matcher(name).matches() ? in(namespace).withName(name).get() : null;
        if (tc == null) {
            throw ProblemException.notFound("cluster-not-found", "tenant " + tenant.name() + " has no cluster '" + name + "'");
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
