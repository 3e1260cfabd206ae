package dev.nestor.events;

/**
 * The labels and annotations on Kubernetes objects that are a contract between Nestor's services (DESIGN §2.1, §3):
 * one writer sets them, other services select or read by them. A service's own keys stay in that service.
 */
public final class ObjectKeys {
    /** Who writes an object; the value is the writing service's name, which is also its consumer group. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The TenantCluster (name) an object belongs to, in its tenant namespace. */
    public static final String CLUSTER = "nestor.dev/cluster";
    /** The TenantCluster uid, so a cluster re-created under the same name adopts nothing of the old one. */
    public static final String CLUSTER_UID = "nestor.dev/cluster-uid";
    /** On tenant namespaces: the tenant they belong to. */
    public static final String TENANT = "nestor.dev/tenant";
    /** The node group (MachineDeployment) an object belongs to. */
    public static final String NODE_GROUP = "nestor.dev/node-group";
    /** On tenant namespaces: the management StorageClasses the tenant may use, comma-separated. */
    public static final String STORAGE_CLASSES = "nestor.dev/storage-classes";
    /** On tenant namespaces: the IP addresses the tenant's LoadBalancer Services may ask for, comma-separated. */
    public static final String LOAD_BALANCER_ADDRESSES = "nestor.dev/load-balancer-addresses";
    /** Cluster API's label naming the CAPI Cluster of an object. */
    public static final String CAPI_CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";
    /** On an autoscaled MachineDeployment (cluster-service writes, autoscaler-bridge reads): the bounds. */
    public static final String AUTOSCALER_MIN = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    public static final String AUTOSCALER_MAX = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";

    private ObjectKeys() {
    }
}
