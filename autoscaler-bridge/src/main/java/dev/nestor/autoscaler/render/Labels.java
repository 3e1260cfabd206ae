package dev.nestor.autoscaler.render;

import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.ObjectKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/** Label and annotation keys, and the label sets autoscaler-bridge puts on what it renders. */
public final class Labels {
    public static final String MANAGED_BY = ObjectKeys.MANAGED_BY;
    public static final String MANAGER = ConsumerGroups.AUTOSCALER_BRIDGE;
    public static final String NAME = "app.kubernetes.io/name";
    public static final String AUTOSCALER_NAME = "cluster-autoscaler";
    public static final String CLUSTER = ObjectKeys.CLUSTER;
    public static final String NODE_GROUP = ObjectKeys.NODE_GROUP;
    public static final String AUTOSCALER_MIN = ObjectKeys.AUTOSCALER_MIN;
    public static final String AUTOSCALER_MAX = ObjectKeys.AUTOSCALER_MAX;
    /** On the pod template: a new tenant kubeconfig (say, a re-minted token) restarts the autoscaler. */
    public static final String KUBECONFIG_HASH = "nestor.dev/kubeconfig-hash";

    private Labels() {
    }

    /** The labels every object autoscaler-bridge creates for cluster {@code c} carries (DESIGN §2.1). */
    public static Map<String, String> of(String cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, cluster);
        return labels;
    }

    /** The autoscaler pods' selector: stable for the Deployment's life. */
    public static Map<String, String> selector(String cluster) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, AUTOSCALER_NAME);
        labels.put(CLUSTER, cluster);
        return labels;
    }

    /** The autoscaler pods' labels: the selector plus {@code managed-by}. */
    public static Map<String, String> pod(String cluster) {
        Map<String, String> labels = selector(cluster);
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }
}
