package dev.nestor.bridge.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations csi-bridge reads and writes, in one place. */
public final class BridgeLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "nestor-csi-bridge";
    public static final String CLUSTER = "nestor.dev/cluster";
    /** On DataVolumes: the uid of the cluster the volume belongs to (the cross-tenant guard). */
    public static final String VOLUME_OF = "nestor.dev/volume-of";
    /** On management LB Services: the uid of the cluster they serve (what a deleted cluster is cleaned up by). */
    public static final String CLUSTER_UID = "nestor.dev/cluster-uid";
    /** On DataVolumes: the uid of the tenant PVC the volume serves. */
    public static final String TENANT_PVC_UID = "nestor.dev/tenant-pvc-uid";
    /** On management LB Services: the tenant Service they stand for. */
    public static final String TENANT_SERVICE_NAME = "cluster.x-k8s.io/tenant-service-name";
    public static final String TENANT_SERVICE_NAMESPACE = "cluster.x-k8s.io/tenant-service-namespace";
    public static final String CAPI_CLUSTER_NAME = "cluster.x-k8s.io/cluster-name";
    public static final String CAPI_ROLE = "cluster.x-k8s.io/role";
    /** On tenant namespaces in the management cluster: the infrastructure storage classes the tenant may use. */
    public static final String STORAGE_CLASSES = "nestor.dev/storage-classes";
    /** On tenant namespaces: the addresses (comma-separated) a tenant may ask for as {@code loadBalancerIP}. */
    public static final String LOAD_BALANCER_ADDRESSES = "nestor.dev/load-balancer-addresses";
    /** On tenant Nodes: the uid of the VirtualMachine the Node was initialised for. */
    public static final String NODE_VM_UID = "nestor.dev/vm-uid";
    public static final String UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized";
    public static final String CSI_DRIVER = "csi.kubevirt.io";
    public static final String PROVIDER_PREFIX = "kubevirt://";
    public static final String VOLUME_PREFIX = "pvc-";

    private BridgeLabels() {
    }

    /** The labels every object csi-bridge creates in the management cluster carries. */
    public static Map<String, String> owned(String cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, cluster);
        return labels;
    }
}
