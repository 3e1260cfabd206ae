package dev.nestor.addon.render;

import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.ObjectKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on every object addon-service writes (DESIGN §2.1). */
public final class Labels {
    public static final String MANAGED_BY = ObjectKeys.MANAGED_BY;
    public static final String MANAGER = ConsumerGroups.ADDON_SERVICE;
    public static final String CLUSTER = ObjectKeys.CLUSTER;
    /** The TenantCluster uid: a cluster re-created under the same name does not adopt the old one's releases. */
    public static final String CLUSTER_UID = ObjectKeys.CLUSTER_UID;
    public static final String ADDON = "nestor.dev/addon";
    /** The tenant, so a teardown can report after the cluster's snapshot is gone. */
    public static final String TENANT = ObjectKeys.TENANT;

    private Labels() {
    }

    /** Selects everything addon-service manages. */
    public static Map<String, String> managed() {
        return Map.of(MANAGED_BY, MANAGER);
    }

    /** Selects everything addon-service manages for one cluster name (any uid). */
    public static Map<String, String> ofCluster(String cluster) {
        return Map.of(MANAGED_BY, MANAGER, CLUSTER, cluster);
    }

    /** The labels of one add-on's objects. */
    public static Map<String, String> of(String cluster, String uid, String tenant, String addon) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(CLUSTER, cluster);
        labels.put(CLUSTER_UID, uid);
        labels.put(TENANT, tenant);
        labels.put(ADDON, addon);
        return labels;
    }
}
