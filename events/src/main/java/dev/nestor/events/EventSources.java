package dev.nestor.events;

import java.util.Set;

/** The CloudEvents {@code source} of each Nestor service: {@code /nestor/<service>}. */
public final class EventSources {

    public static final String CLUSTER_SERVICE = "/nestor/cluster-service";
    public static final String ADDON_SERVICE = "/nestor/addon-service";
    public static final String AUTOSCALER_BRIDGE = "/nestor/autoscaler-bridge";
    public static final String CSI_BRIDGE = "/nestor/csi-bridge";

    private static final Set<String> ALL = Set.of(CLUSTER_SERVICE, ADDON_SERVICE, AUTOSCALER_BRIDGE, CSI_BRIDGE);

    private EventSources() {
    }

    /** Every known source. */
    public static Set<String> all() {
        return ALL;
    }
}
