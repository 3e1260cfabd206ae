package dev.nestor.autoscaler.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nestor.support.render.Ordered.list;
import static dev.nestor.support.render.Ordered.map;
import static dev.nestor.autoscaler.render.Obj.resource;
import static dev.nestor.autoscaler.render.Obj.rule;
import static dev.nestor.autoscaler.render.Obj.with;

/**
 * Pure renderer of the autoscaler's least-privilege identity inside a tenant cluster: a ServiceAccount with a
 * service-account-token Secret, a ClusterRole with the workload-side rules of reference §5.5 (without the Lease and
 * ConfigMap rights, which a Role grants in {@code kube-system} only, on the autoscaler's own objects), and bindings.
 */
public final class TenantRenderer {
    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> LIST_WATCH = List.of("list", "watch");

    private TenantRenderer() {
    }

    /** The cluster-wide rules: reference §5.5 "cluster-autoscaler-workload" without configmaps and leases. */
    public static List<Map<String, Object>> clusterRules() {
        return List.of(
                rule(List.of(""), List.of("namespaces", "persistentvolumeclaims", "persistentvolumes", "pods",
                        "replicationcontrollers", "services"), READ),
                rule(List.of(""), List.of("nodes"), List.of("get", "list", "update", "watch")),
                rule(List.of(""), List.of("pods/eviction"), List.of("create")),
                rule(List.of(""), List.of("events"), List.of("create", "patch")),
                rule(List.of("policy"), List.of("poddisruptionbudgets"), LIST_WATCH),
                rule(List.of("batch"), List.of("jobs"), LIST_WATCH),
                rule(List.of("apps"), List.of("daemonsets", "replicasets", "statefulsets"), LIST_WATCH),
                rule(List.of("storage.k8s.io"), List.of("csinodes", "storageclasses", "csidrivers",
                        "csistoragecapacities", "volumeattachments"), READ),
                rule(List.of("resource.k8s.io"), List.of("resourceslices", "deviceclasses", "resourceclaims"), READ));
    }

    /**
     * The rules in {@code kube-system}: create its Lease and status ConfigMap, then touch only those by name
     * (create cannot be limited by name in RBAC). The priority expander also lists ConfigMaps there.
     */
    public static List<Map<String, Object>> namespaceRules(ScaleDownSettings settings) {
        List<Map<String, Object>> rules = new ArrayList<>();
        rules.add(rule(List.of("coordination.k8s.io"), List.of("leases"), List.of("create")));
        rules.add(rule(List.of("coordination.k8s.io"), List.of("leases"), List.of(Names.AUTOSCALER_LEASE),
                List.of("get", "update")));
        rules.add(rule(List.of(""), List.of("configmaps"), List.of("create")));
        rules.add(rule(List.of(""), List.of("configmaps"), List.of(Names.AUTOSCALER_STATUS_CONFIG_MAP),
                List.of("delete", "get", "update")));
        if (settings.priorityExpander()) {
            rules.add(rule(List.of(""), List.of("configmaps"), READ));
        }
        return rules;
    }

    /** Every tenant-side object of cluster {@code cluster}'s autoscaler, in apply order. */
    public static List<GenericKubernetesResource> render(String cluster, ScaleDownSettings settings) {
        Map<String, String> labels = Labels.of(cluster);
        String ns = Names.TENANT_NAMESPACE;
        List<GenericKubernetesResource> out = new ArrayList<>();
        out.add(resource("v1", "ServiceAccount", ns, Names.TENANT_SERVICE_ACCOUNT, labels));
        out.add(tokenSecret(cluster));
        out.add(with(resource("rbac.authorization.k8s.io/v1", "ClusterRole", null, Names.TENANT_ROLE, labels),
                "rules", clusterRules()));
        out.add(binding("ClusterRoleBinding", null, "ClusterRole", labels));
        out.add(with(resource("rbac.authorization.k8s.io/v1", "Role", ns, Names.TENANT_ROLE, labels),
                "rules", namespaceRules(settings)));
        out.add(binding("RoleBinding", ns, "Role", labels));
        return out;
    }

    /**
     * A service-account-token Secret: the tenant's token controller fills in {@code token} and {@code ca.crt}, keeps
     * it valid while both exist and revokes it when either is deleted.
     */
    static GenericKubernetesResource tokenSecret(String cluster) {
        GenericKubernetesResource r = resource("v1", "Secret", Names.TENANT_NAMESPACE, Names.tenantTokenSecret(),
                Labels.of(cluster));
        r.getMetadata().setAnnotations(Map.of("kubernetes.io/service-account.name", Names.TENANT_SERVICE_ACCOUNT));
        return with(r, "type", "kubernetes.io/service-account-token");
    }

    private static GenericKubernetesResource binding(String kind, String namespace, String roleKind,
            Map<String, String> labels) {
        GenericKubernetesResource r = resource("rbac.authorization.k8s.io/v1", kind, namespace, Names.TENANT_ROLE,
                labels);
        with(r, "roleRef", map("apiGroup", "rbac.authorization.k8s.io", "kind", roleKind, "name", Names.TENANT_ROLE));
        return with(r, "subjects", list(map("kind", "ServiceAccount", "name", Names.TENANT_SERVICE_ACCOUNT,
                "namespace", Names.TENANT_NAMESPACE)));
    }
}
