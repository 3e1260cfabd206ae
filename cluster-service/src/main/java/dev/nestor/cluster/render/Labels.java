package dev.nestor.cluster.render;

import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.ObjectKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys, and the label sets cluster-service puts on what it renders. */
public final class Labels {
    public static final String MANAGED_BY = ObjectKeys.MANAGED_BY;
    public static final String MANAGER = ConsumerGroups.CLUSTER_SERVICE;
    public static final String CLUSTER = ObjectKeys.CLUSTER;
    public static final String NODE_GROUP = ObjectKeys.NODE_GROUP;
    public static final String TENANT = ObjectKeys.TENANT;
    public static final String CAPI_CLUSTER_NAME = ObjectKeys.CAPI_CLUSTER_NAME;
    public static final String CAPI_DEPLOYMENT_NAME = "cluster.x-k8s.io/deployment-name";
    public static final String CAPI_MANAGED_BY = "cluster.x-k8s.io/managed-by";
    public static final String NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    public static final String AUTOSCALER_MIN = ObjectKeys.AUTOSCALER_MIN;
    public static final String AUTOSCALER_MAX = ObjectKeys.AUTOSCALER_MAX;
    public static final String CAPACITY_PREFIX = "capacity.cluster-autoscaler.kubernetes.io/";

    private Labels() {
    }

    /** The labels every object cluster-service creates for cluster {@code c} carries. */
    public static Map<String, String> of(String cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, cluster);
        return labels;
    }

    /** {@link #of(String)} plus the node group. */
    public static Map<String, String> of(String cluster, String group) {
        Map<String, String> labels = of(cluster);
        labels.put(NODE_GROUP, group);
        return labels;
    }

    /** The selector CAPI uses for a MachineDeployment's machines. */
    public static Map<String, String> machineSelector(String cluster, String group) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(CAPI_CLUSTER_NAME, cluster);
        labels.put(CAPI_DEPLOYMENT_NAME, Names.machineDeployment(cluster, group));
        return labels;
    }
}
