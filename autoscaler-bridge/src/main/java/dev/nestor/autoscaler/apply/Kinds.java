package dev.nestor.autoscaler.apply;

import dev.nestor.support.apply.Applier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The kinds autoscaler-bridge reads and writes, without asking discovery. */
public final class Kinds {
    public static final ResourceDefinitionContext SERVICE_ACCOUNT = Applier.namespaced("", "v1", "ServiceAccount",
            "serviceaccounts");
    public static final ResourceDefinitionContext SECRET = Applier.namespaced("", "v1", "Secret", "secrets");
    public static final ResourceDefinitionContext ROLE = Applier.namespaced("rbac.authorization.k8s.io", "v1", "Role",
            "roles");
    public static final ResourceDefinitionContext ROLE_BINDING = Applier.namespaced("rbac.authorization.k8s.io", "v1",
            "RoleBinding", "rolebindings");
    public static final ResourceDefinitionContext CLUSTER_ROLE = Applier.clusterScoped("rbac.authorization.k8s.io",
            "v1", "ClusterRole", "clusterroles");
    public static final ResourceDefinitionContext CLUSTER_ROLE_BINDING = Applier.clusterScoped(
            "rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings");
    public static final ResourceDefinitionContext DEPLOYMENT = Applier.namespaced("apps", "v1", "Deployment",
            "deployments");
    public static final ResourceDefinitionContext MACHINE_DEPLOYMENT = Applier.namespaced("cluster.x-k8s.io",
            "v1beta2", "MachineDeployment", "machinedeployments");

    private Kinds() {
    }

    /** The context of a rendered object's kind. */
    public static ResourceDefinitionContext of(GenericKubernetesResource r) {
        return switch (r.getKind()) {
            case "ServiceAccount" -> SERVICE_ACCOUNT;
            case "Secret" -> SECRET;
            case "Role" -> ROLE;
            case "RoleBinding" -> ROLE_BINDING;
            case "ClusterRole" -> CLUSTER_ROLE;
            case "ClusterRoleBinding" -> CLUSTER_ROLE_BINDING;
            case "Deployment" -> DEPLOYMENT;
            default -> throw new IllegalArgumentException("autoscaler-bridge renders no " + r.getKind());
        };
    }
}
