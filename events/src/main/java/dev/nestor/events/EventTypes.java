package dev.nestor.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every Nestor event type ({@code dev.nestor.<entity>.<what>}) with its topic, producer and payload schema.
 *
 * <p>Lifecycle types are the transitions of DESIGN §5.2 and carry a sequence; every other type is a state
 * report (or the state snapshot) and carries none.
 */
public final class EventTypes {

    private static final String PREFIX = "dev.nestor.";

    public static final String CLUSTER_REQUESTED = PREFIX + "cluster.requested";
    public static final String CLUSTER_PROVISIONING = PREFIX + "cluster.provisioning";
    public static final String CLUSTER_CONTROL_PLANE_READY = PREFIX + "cluster.control-plane-ready";
    public static final String CLUSTER_READY = PREFIX + "cluster.ready";
    public static final String CLUSTER_SCALING = PREFIX + "cluster.scaling";
    public static final String CLUSTER_UPGRADING = PREFIX + "cluster.upgrading";
    public static final String CLUSTER_UPDATED = PREFIX + "cluster.updated";
    public static final String CLUSTER_DEGRADED = PREFIX + "cluster.degraded";
    public static final String CLUSTER_FAILED = PREFIX + "cluster.failed";
    public static final String CLUSTER_DELETING = PREFIX + "cluster.deleting";
    public static final String CLUSTER_DELETED = PREFIX + "cluster.deleted";

    public static final String CLUSTER_STATE = PREFIX + "cluster.state";

    public static final String ADDON_INSTALLING = PREFIX + "addon.installing";
    public static final String ADDON_INSTALLED = PREFIX + "addon.installed";
    public static final String ADDON_FAILED = PREFIX + "addon.failed";
    public static final String ADDON_REMOVED = PREFIX + "addon.removed";

    public static final String AUTOSCALER_CONFIGURED = PREFIX + "autoscaler.configured";
    public static final String AUTOSCALER_REMOVED = PREFIX + "autoscaler.removed";
    public static final String AUTOSCALER_FAILED = PREFIX + "autoscaler.failed";
    public static final String NODEGROUP_SCALED = PREFIX + "nodegroup.scaled";

    public static final String BRIDGE_CONNECTED = PREFIX + "bridge.connected";
    public static final String BRIDGE_DISCONNECTED = PREFIX + "bridge.disconnected";
    public static final String VOLUME_PROVISIONED = PREFIX + "volume.provisioned";
    public static final String VOLUME_ATTACHED = PREFIX + "volume.attached";
    public static final String VOLUME_DETACHED = PREFIX + "volume.detached";
    public static final String VOLUME_DELETED = PREFIX + "volume.deleted";
    public static final String VOLUME_EXPANDED = PREFIX + "volume.expanded";
    public static final String VOLUME_FAILED = PREFIX + "volume.failed";
    public static final String LOADBALANCER_PROVISIONED = PREFIX + "loadbalancer.provisioned";
    public static final String LOADBALANCER_UPDATED = PREFIX + "loadbalancer.updated";
    public static final String LOADBALANCER_DELETED = PREFIX + "loadbalancer.deleted";
    public static final String LOADBALANCER_FAILED = PREFIX + "loadbalancer.failed";
    public static final String NODE_REMOVED = PREFIX + "node.removed";

    /** Where an event type goes, who produces it and what its payload is. */
    public record Route(String type, String topic, String source, PayloadSchema schema, boolean lifecycle) {
    }

    private static final Map<String, Route> ROUTES = new LinkedHashMap<>();

    static {
        for (String type : new String[] {CLUSTER_REQUESTED, CLUSTER_PROVISIONING, CLUSTER_CONTROL_PLANE_READY,
                CLUSTER_READY, CLUSTER_SCALING, CLUSTER_UPGRADING, CLUSTER_UPDATED, CLUSTER_DEGRADED, CLUSTER_FAILED,
                CLUSTER_DELETING, CLUSTER_DELETED}) {
            route(type, Topics.CLUSTER_LIFECYCLE, EventSources.CLUSTER_SERVICE, PayloadSchema.CLUSTER_LIFECYCLE, true);
        }
        route(CLUSTER_STATE, Topics.CLUSTER_STATE, EventSources.CLUSTER_SERVICE, PayloadSchema.CLUSTER_STATE, false);
        for (String type : new String[] {ADDON_INSTALLING, ADDON_INSTALLED, ADDON_FAILED, ADDON_REMOVED}) {
            route(type, Topics.ADDONS, EventSources.ADDON_SERVICE, PayloadSchema.ADDON_STATE, false);
        }
        for (String type : new String[] {AUTOSCALER_CONFIGURED, AUTOSCALER_REMOVED, AUTOSCALER_FAILED}) {
            route(type, Topics.AUTOSCALING, EventSources.AUTOSCALER_BRIDGE, PayloadSchema.AUTOSCALER_STATE, false);
        }
        route(NODEGROUP_SCALED, Topics.AUTOSCALING, EventSources.AUTOSCALER_BRIDGE, PayloadSchema.NODEGROUP_SCALED,
                false);
        for (String type : new String[] {BRIDGE_CONNECTED, BRIDGE_DISCONNECTED}) {
            route(type, Topics.BRIDGES, EventSources.CSI_BRIDGE, PayloadSchema.BRIDGE_STATE, false);
        }
        for (String type : new String[] {VOLUME_PROVISIONED, VOLUME_ATTACHED, VOLUME_DETACHED, VOLUME_DELETED,
                VOLUME_EXPANDED, VOLUME_FAILED, LOADBALANCER_PROVISIONED, LOADBALANCER_UPDATED, LOADBALANCER_DELETED,
                LOADBALANCER_FAILED, NODE_REMOVED}) {
            route(type, Topics.BRIDGES, EventSources.CSI_BRIDGE, PayloadSchema.BRIDGE_ACTIVITY, false);
        }
    }

    private EventTypes() {
    }

    private static void route(String type, String topic, String source, PayloadSchema schema, boolean lifecycle) {
        ROUTES.put(type, new Route(type, topic, source, schema, lifecycle));
    }

    /** Every known type, lifecycle types first in milestone order. */
    public static Set<String> all() {
        return Collections.unmodifiableSet(ROUTES.keySet());
    }

    public static boolean isKnown(String type) {
        return type != null && ROUTES.containsKey(type);
    }

    /** Whether the type is a lifecycle transition (sequenced, id {@code <uid>:<sequence>}). */
    public static boolean isLifecycle(String type) {
        return route(type).lifecycle();
    }

    /** The route of a known type; {@link IllegalArgumentException} for an unknown one. */
    public static Route route(String type) {
        Route route = type == null ? null : ROUTES.get(type);
        if (route == null) {
            throw new IllegalArgumentException("unknown Nestor event type '" + type + "'");
        }
        return route;
    }
}
