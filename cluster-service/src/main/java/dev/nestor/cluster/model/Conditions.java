package dev.nestor.cluster.model;

/** Condition types and reasons of a TenantCluster (DESIGN §3, issue 3 §4). */
public final class Conditions {
    public static final String SPEC_ACCEPTED = "SpecAccepted";
    public static final String CONTROL_PLANE_READY = "ControlPlaneReady";
    public static final String WORKERS_READY = "WorkersReady";
    public static final String ADDONS_READY = "AddonsReady";
    public static final String AUTOSCALER_READY = "AutoscalerReady";
    public static final String STORAGE_BRIDGE_READY = "StorageBridgeReady";
    public static final String LOAD_BALANCER_BRIDGE_READY = "LoadBalancerBridgeReady";
    public static final String DELETION_BLOCKED = "DeletionBlocked";
    public static final String READY = "Ready";

    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    // reasons
    public static final String ACCEPTED = "Accepted";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String WAITING_FOR_CONTROL_PLANE = "WaitingForControlPlane";
    public static final String CONTROL_PLANE_AVAILABLE = "ControlPlaneAvailable";
    public static final String CONTROL_PLANE_ERROR = "ControlPlaneError";
    public static final String WAITING_FOR_WORKERS = "WaitingForWorkers";
    public static final String WORKERS_AVAILABLE = "WorkersAvailable";
    public static final String NOT_REQUIRED = "NotRequired";
    public static final String PROVISIONING_TIMEOUT = "ProvisioningTimeout";
    public static final String READY_REASON = "Ready";
    public static final String NOT_READY = "NotReady";
    public static final String DELETING = "Deleting";
    public static final String SCALING = "Scaling";
    public static final String DEGRADED = "Degraded";
    /** Node groups did not converge within the scaling deadline. */
    public static final String SCALING_STALLED = "ScalingStalled";
    public static final String NOT_BLOCKED = "NotBlocked";
    /** A satellite condition before the satellite's first report about this cluster uid. */
    public static final String NO_REPORT = "NoReport";
    public static final String ADDONS_INSTALLED = "Installed";
    public static final String WAITING_FOR_ADDONS = "WaitingForAddons";
    public static final String ADDON_FAILED = "AddonFailed";
    public static final String AUTOSCALER_CONFIGURED = "Configured";
    public static final String AUTOSCALER_FAILED = "AutoscalerFailed";
    public static final String WAITING_FOR_AUTOSCALER = "WaitingForAutoscaler";
    public static final String BRIDGE_READY = "BridgeReady";
    public static final String BRIDGE_NOT_READY = "BridgeNotReady";
    public static final String BRIDGE_FAILED = "BridgeFailed";

    private Conditions() {
    }
}
