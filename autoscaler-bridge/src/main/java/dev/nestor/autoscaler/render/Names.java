package dev.nestor.autoscaler.render;

/** Every name autoscaler-bridge derives from a cluster, in one place (Strimzi's KafkaResources). */
public final class Names {
    /** Where the autoscaler's tenant identity, its Lease and its status ConfigMap live in the tenant. */
    public static final String TENANT_NAMESPACE = "kube-system";
    /** The autoscaler's ServiceAccount (and its token Secret's prefix) in the tenant. */
    public static final String TENANT_SERVICE_ACCOUNT = "nestor-cluster-autoscaler";
    /** The autoscaler's ClusterRole, ClusterRoleBinding, Role and RoleBinding in the tenant. */
    public static final String TENANT_ROLE = "nestor:cluster-autoscaler";
    /** cluster-autoscaler's leader-election Lease ({@code --leader-elect-resource-name} default). */
    public static final String AUTOSCALER_LEASE = "cluster-autoscaler";
    /** cluster-autoscaler's status ConfigMap ({@code --status-config-map-name} default). */
    public static final String AUTOSCALER_STATUS_CONFIG_MAP = "cluster-autoscaler-status";

    private Names() {
    }

    /** The Deployment, ServiceAccount, Role and RoleBinding of cluster {@code c}'s autoscaler. */
    public static String autoscaler(String cluster) {
        return cluster + "-cluster-autoscaler";
    }

    /** The management Secret holding the autoscaler's tenant kubeconfig. */
    public static String kubeconfigSecret(String cluster) {
        return cluster + "-cluster-autoscaler-kubeconfig";
    }

    /** The service-account-token Secret of the autoscaler's tenant ServiceAccount. */
    public static String tenantTokenSecret() {
        return TENANT_SERVICE_ACCOUNT + "-token";
    }

    /** Kamaji's admin kubeconfig Secret (keys admin.conf, admin.svc, super-admin.conf, super-admin.svc). */
    public static String adminKubeconfigSecret(String cluster) {
        return cluster + "-admin-kubeconfig";
    }

    /** cluster-service's MachineDeployment of a node group. */
    public static String machineDeployment(String cluster, String group) {
        return cluster + "-" + group;
    }
}
