package dev.nestor.events;

import java.util.List;

/** The Kafka consumer group of each service ({@code nestor-<service>}); DLQ names are built from them. */
public final class ConsumerGroups {

    public static final String CLUSTER_SERVICE = "nestor-cluster-service";
    public static final String ADDON_SERVICE = "nestor-addon-service";
    public static final String AUTOSCALER_BRIDGE = "nestor-autoscaler-bridge";
    public static final String CSI_BRIDGE = "nestor-csi-bridge";

    private ConsumerGroups() {
    }

    /** Every group, in the order of DESIGN §2.1. */
    public static List<String> all() {
        return List.of(CLUSTER_SERVICE, ADDON_SERVICE, AUTOSCALER_BRIDGE, CSI_BRIDGE);
    }
}
