package dev.nestor.events;

import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeActivity;
import dev.nestor.events.payload.BridgeStateReport;
import dev.nestor.events.payload.ClusterLifecycleData;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.NodeGroupScaled;

/** A versioned payload and its JSON Schema ({@code $id} = the events' {@code dataschema}). */
public enum PayloadSchema {
    CLUSTER_LIFECYCLE("cluster-lifecycle", 1, ClusterLifecycleData.class),
    CLUSTER_STATE("cluster-state", 1, ClusterStateSnapshot.class),
    ADDON_STATE("addon-state", 1, AddonStateReport.class),
    AUTOSCALER_STATE("autoscaler-state", 1, AutoscalerStateReport.class),
    NODEGROUP_SCALED("nodegroup-scaled", 1, NodeGroupScaled.class),
    BRIDGE_STATE("bridge-state", 1, BridgeStateReport.class),
    BRIDGE_ACTIVITY("bridge-activity", 1, BridgeActivity.class);

    /** Every schema URI starts with this. */
    public static final String BASE_URI = "https://nestor.dev/schemas/";

    private final String payloadName;
    private final int version;
    private final Class<?> payloadClass;

    PayloadSchema(String payloadName, int version, Class<?> payloadClass) {
        this.payloadName = payloadName;
        this.version = version;
        this.payloadClass = payloadClass;
    }

    /** The payload name, e.g. {@code cluster-lifecycle}. */
    public String payloadName() {
        return payloadName;
    }

    public int version() {
        return version;
    }

    /** The Java record the payload maps to. */
    public Class<?> payloadClass() {
        return payloadClass;
    }

    /** {@code https://nestor.dev/schemas/<payload>/v<n>.json}: the schema's {@code $id} and the events' dataschema. */
    public String uri() {
        return BASE_URI + payloadName + "/v" + version + ".json";
    }

    /** The classpath resource of the schema: {@code schemas/<payload>/v<n>.json}. */
    public String resourcePath() {
        return "schemas/" + payloadName + "/v" + version + ".json";
    }
}
