package dev.nestor.bridge.infra;

import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.ObjectKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations csi-bridge reads and writes, in one place. */
public final class BridgeLabels {

    public static final String MANAGED_BY = ObjectKeys.MANAGED_BY;
    public static final String MANAGER = ConsumerGroups.CSI_BRIDGE;
    public static final String CLUSTER = ObjectKeys.CLUSTER;
    /** On DataVolumes: the uid of the cluster the volume belongs to (the cross-tenant guard). */
    public static final String VOLUME_OF = "nestor.dev/volume-of";
    /** On management LB Services: the uid of the cluster they serve (what a deleted cluster is cleaned up by). */
    public static final String CLUSTER_UID = ObjectKeys.CLUSTER_UID;
    /** On DataVolumes: the uid of the tenant PVC the volume serves. */
    public static final String TENANT_PVC_UID = "nestor.dev/tenant-pvc-uid";
    /** On management LB Services: the tenant Service they stand for. */
    public static final String TENANT_SERVICE_NAME = "cluster.x-k8s.io/tenant-service-name";
    public static final String TENANT_SERVICE_NAMESPACE = "cluster.x-k8s.io/tenant-service-namespace";
    public static final String CAPI_CLUSTER_NAME = ObjectKeys.CAPI_CLUSTER_NAME;
    public static final String CAPI_ROLE = "cluster.x-k8s.io/role";
    /** On tenant namespaces in the management cluster: the infrastructure storage classes the tenant may use. */
    public static final String STORAGE_CLASSES = ObjectKeys.STORAGE_CLASSES;
    /** On tenant namespaces: the addresses (comma-separated) a tenant may ask for as {@code loadBalancerIP}. */
    public static final String LOAD_BALANCER_ADDRESSES = ObjectKeys.LOAD_BALANCER_ADDRESSES;
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
