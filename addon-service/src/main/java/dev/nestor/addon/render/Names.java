package dev.nestor.addon.render;

/** Every name addon-service gives or reads, in one place. */
public final class Names {
    /** The field manager of every write (DESIGN §2.1: one writer per object). */
    public static final String FIELD_MANAGER = "nestor-addon-service";
    /** Kamaji's kubeconfig key that reaches the tenant API through the in-cluster Service (kamaji PR #403). */
    public static final String KUBECONFIG_KEY = "super-admin.svc";
    /** The finalizer Flux's controllers put on the objects they reconcile. */
    public static final String FLUX_FINALIZER = "finalizers.fluxcd.io";

    private Names() {
    }

    /** The HelmRelease (and its source) of an add-on: {@code <cluster>-<addon>}. */
    public static String release(String cluster, String addon) {
        return cluster + "-" + addon;
    }

    /** Kamaji's admin kubeconfig Secret of a cluster, when the snapshot does not name it yet. */
    public static String adminKubeconfig(String cluster) {
        return cluster + "-admin-kubeconfig";
    }

    /** The tenant of a cluster namespace ({@link #tenantNamespace} backwards). */
    public static String tenantOf(String namespace) {
        return namespace.startsWith("tenant-") ? namespace.substring("tenant-".length()) : namespace;
    }

    /** The namespace of a tenant's clusters. */
    public static String tenantNamespace(String tenant) {
        return "tenant-" + tenant;
    }
}
