package dev.nestor.cluster.apply;

import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterStatus;
import dev.nestor.cluster.render.Desired;
import dev.nestor.cluster.render.Kind;
import dev.nestor.cluster.render.Labels;
import dev.nestor.cluster.render.Names;
import dev.nestor.cluster.render.TenantRenderer;
import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The only code of cluster-service that writes to the management API server. */
@ApplicationScoped
public class ClusterApi {
    private static final Logger LOG = Logger.getLogger(ClusterApi.class);
    public static final String FIELD_MANAGER = "nestor-cluster-service";

    /** Kinds the satellites own; deletion waits until none labelled with the cluster is left (DESIGN §4). */
    static final List<ResourceDefinitionContext> SATELLITE_KINDS = List.of(
            Applier.namespaced("helm.toolkit.fluxcd.io", "v2", "HelmRelease", "helmreleases"),
            Applier.namespaced("source.toolkit.fluxcd.io", "v1", "HelmRepository", "helmrepositories"),
            Applier.namespaced("source.toolkit.fluxcd.io", "v1", "OCIRepository", "ocirepositories"),
            Applier.namespaced("apps", "v1", "Deployment", "deployments"),
            Applier.namespaced("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes"),
            Applier.namespaced("", "v1", "Service", "services"),
            Applier.namespaced("", "v1", "ServiceAccount", "serviceaccounts"),
            Applier.namespaced("", "v1", "Secret", "secrets"),
            Applier.namespaced("rbac.authorization.k8s.io", "v1", "Role", "roles"),
            Applier.namespaced("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"));

    static final ResourceDefinitionContext NAMESPACE = Applier.clusterScoped("", "v1", "Namespace", "namespaces");
    static final ResourceDefinitionContext RESOURCE_QUOTA = Applier.namespaced("", "v1", "ResourceQuota", "resourcequotas");

    private final KubernetesClient client;
    private final Applier applier;

    @Inject
    public ClusterApi(KubernetesClient client) {
        this.client = client;
        this.applier = new Applier(client, FIELD_MANAGER);
    }

    /**
     * The tenant a namespace belongs to, or null: it must be {@code tenant-<t>} and carry the label
     * {@code nestor.dev/tenant=<t>} (DESIGN §3), so no two namespaces can speak for one tenant.
     */
    public Tenant tenant(String namespace) {
        Namespace ns = client.namespaces().withName(namespace).get();
        if (ns == null || ns.getMetadata().getLabels() == null) {
            return null;
        }
        String tenant = ns.getMetadata().getLabels().get(Labels.TENANT);
        if (tenant == null || !namespace.equals(Names.tenantNamespace(tenant))) {
            return null;
        }
        Map<String, String> annotations = ns.getMetadata().getAnnotations();
        return new Tenant(tenant, namespace, annotations == null ? Map.of() : Map.copyOf(annotations));
    }

    /**
     * Onboards a tenant: applies its namespace and then its quota under this service's field manager.
     *
     * @return whether the namespace is new
     */
    public boolean onboard(GenericKubernetesResource namespace, GenericKubernetesResource quota) {
        boolean existed = client.namespaces().withName(namespace.getMetadata().getName()).get() != null;
        applier.apply(NAMESPACE, namespace);
        applier.apply(RESOURCE_QUOTA, quota);
        LOG.infof("onboarded tenant namespace %s (%s)", namespace.getMetadata().getName(), existed ? "updated" : "new");
        return !existed;
    }

    /** The tenant namespace's cluster quota, or null when it has none (or one this service cannot read). */
    public Integer clusterQuota(String namespace) {
        ResourceQuota quota = client.resourceQuotas().inNamespace(namespace).withName(TenantRenderer.QUOTA).get();
        if (quota == null || quota.getSpec() == null || quota.getSpec().getHard() == null
                || quota.getSpec().getHard().get(TenantRenderer.CLUSTER_COUNT) == null) {
            return null;
        }
        try {
            return quota.getSpec().getHard().get(TenantRenderer.CLUSTER_COUNT).getNumericalAmount().intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    public void apply(Desired desired) {
        for (GenericKubernetesResource r : desired.objects()) {
            applier.apply(context(Kind.of(r.getApiVersion(), r.getKind())), r);
        }
    }

    /**
     * Deletes what this cluster no longer needs: templates neither desired nor referenced by a live
     * MachineSet, and MachineDeployments/MachineHealthChecks of removed node groups.
     */
    public void prune(String namespace, String cluster, Desired desired) {
        Set<String> wanted = desired.objects().stream().map(r -> r.getKind() + "/" + r.getMetadata().getName())
                .collect(Collectors.toSet());
        for (Kind kind : List.of(Kind.KUBEVIRT_MACHINE_TEMPLATE, Kind.KUBEADM_CONFIG_TEMPLATE,
                Kind.MACHINE_DEPLOYMENT, Kind.MACHINE_HEALTH_CHECK)) {
            for (GenericKubernetesResource r : ours(kind, namespace, cluster)) {
                String name = r.getMetadata().getName();
                boolean keep = wanted.contains(kind.kind() + "/" + name) || desired.keepTemplates().contains(name)
                        && (kind == Kind.KUBEVIRT_MACHINE_TEMPLATE || kind == Kind.KUBEADM_CONFIG_TEMPLATE);
                if (!keep && r.getMetadata().getDeletionTimestamp() == null) {
                    LOG.infof("deleting %s %s/%s: no longer needed", kind.kind(), namespace, name);
                    applier.delete(context(kind), namespace, name);
                }
            }
        }
    }

    /** Objects of a kind cluster-service created for a cluster; none when the kind is not installed. */
    public List<GenericKubernetesResource> ours(Kind kind, String namespace, String cluster) {
        try {
            return applier.list(context(kind), namespace, Labels.of(cluster));
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    /** Satellite objects still labelled with the cluster, as {@code Kind/name}. */
    public List<String> satelliteLeftovers(String namespace, String cluster) {
        List<String> left = new ArrayList<>();
        for (ResourceDefinitionContext kind : SATELLITE_KINDS) {
            try {
                for (GenericKubernetesResource r : client.genericKubernetesResources(kind).inNamespace(namespace)
                        .withLabel(Labels.CLUSTER, cluster).list().getItems()) {
                    String manager = r.getMetadata().getLabels().get(Labels.MANAGED_BY);
                    if (!Labels.MANAGER.equals(manager)) {
                        left.add(kind.getKind() + "/" + r.getMetadata().getName());
                    }
                }
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e; // 404: the kind is not installed, so nothing of it can be left
                }
            }
        }
        return left;
    }

    /** The CAPI objects of the cluster still there: the Cluster and MachineDeployments, as {@code Kind/name}. */
    public List<String> capiLeftovers(String namespace, String cluster) {
        List<String> left = new ArrayList<>();
        var capi = client.genericKubernetesResources(context(Kind.CLUSTER)).inNamespace(namespace).withName(cluster).get();
        if (capi != null && ours(capi)) {
            left.add("Cluster/" + cluster);
        }
        // MachineDeployments CAPI adopted (it labels them with the cluster name) go with the Cluster.
        for (GenericKubernetesResource md : client.genericKubernetesResources(context(Kind.MACHINE_DEPLOYMENT))
                .inNamespace(namespace).withLabel(Labels.CAPI_CLUSTER_NAME, cluster).list().getItems()) {
            left.add("MachineDeployment/" + md.getMetadata().getName());
        }
        return left;
    }

    /**
     * Deletes the CAPI Cluster, only if cluster-service made it; CAPI then removes what it owns in
     * order (reference §1.7).
     */
    public void deleteCapiCluster(String namespace, String cluster) {
        var capi = client.genericKubernetesResources(context(Kind.CLUSTER)).inNamespace(namespace).withName(cluster).get();
        if (capi != null && ours(capi) && capi.getMetadata().getDeletionTimestamp() == null) {
            applier.delete(context(Kind.CLUSTER), namespace, cluster);
        }
    }

    private static boolean ours(GenericKubernetesResource r) {
        return r.getMetadata().getLabels() != null && Labels.MANAGER.equals(r.getMetadata().getLabels().get(Labels.MANAGED_BY));
    }

    /** Deletes every object of the rendered kinds cluster-service created for the cluster; returns what was left. */
    public List<String> deleteLeftovers(String namespace, String cluster) {
        List<String> left = new ArrayList<>();
        for (Kind kind : Kind.RENDERED) {
            for (GenericKubernetesResource r : ours(kind, namespace, cluster)) {
                left.add(kind.kind() + "/" + r.getMetadata().getName());
                if (r.getMetadata().getDeletionTimestamp() == null) {
                    applier.delete(context(kind), namespace, r.getMetadata().getName());
                }
            }
        }
        return left;
    }

    /** Replaces the status through the status subresource; the resourceVersion is the precondition. */
    public TenantCluster writeStatus(TenantCluster tc, TenantClusterStatus status) {
        TenantCluster copy = new TenantCluster();
        copy.setMetadata(tc.getMetadata());
        copy.setSpec(tc.getSpec());
        copy.setStatus(status);
        return client.resources(TenantCluster.class).inNamespace(tc.getMetadata().getNamespace()).resource(copy)
                .updateStatus();
    }

    public static ResourceDefinitionContext context(Kind kind) {
        return Applier.namespaced(kind.group(), kind.version(), kind.kind(), kind.plural());
    }

}
