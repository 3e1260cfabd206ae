package dev.nestor.cluster.render;

/** Every name cluster-service derives from a cluster, in one place (Strimzi's KafkaResources). */
public final class Names {
    private Names() {
    }

    public static String capiCluster(String cluster) {
        return cluster;
    }

    public static String controlPlane(String cluster) {
        return cluster;
    }

    public static String infraCluster(String cluster) {
        return cluster;
    }

    public static String machineDeployment(String cluster, String group) {
        return cluster + "-" + group;
    }

    public static String machineHealthCheck(String cluster, String group) {
        return cluster + "-" + group;
    }

    /** Content-addressed: a change of the rendered template spec is a new template. */
    public static String template(String cluster, String group, String hash) {
        return cluster + "-" + group + "-" + hash;
    }

    /** Kamaji's admin kubeconfig Secret (keys admin.conf, admin.svc, super-admin.conf, super-admin.svc). */
    public static String adminKubeconfigSecret(String cluster) {
        return cluster + "-admin-kubeconfig";
    }


    /** Kamaji's copy of the cluster CA (keys tls.crt/tls.key, or ca.crt/ca.key). */
    public static String caSecret(String cluster) {
        return cluster + "-ca";
    }

    /** Tenant names: DNS labels of at most 30 characters (DESIGN §3). */
    public static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?");

    /** The tenant namespace of tenant {@code t}. */
    public static String tenantNamespace(String tenant) {
        return "tenant-" + tenant;
    }
}
