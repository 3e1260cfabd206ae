package dev.nestor.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeActivity;
import dev.nestor.events.payload.BridgeComponentState;
import dev.nestor.events.payload.BridgeStateReport;
import dev.nestor.events.payload.ClusterLifecycleData;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.ConditionData;
import dev.nestor.events.payload.NodeGroupBounds;
import dev.nestor.events.payload.NodeGroupScaled;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** A realistic event of every type, for the codec and schema tests. */
final class Samples {

    static final String UID = "4b1c7a52-8f0e-4c3e-9a51-0d2f8e6b7c11";
    static final String TENANT = "acme";
    static final String NAMESPACE = "tenant-acme";
    static final String CLUSTER = "prod";
    static final long SEQUENCE = 3;
    /** Not UTC and with nanoseconds, to show the normalisation. */
    static final OffsetDateTime TIME = OffsetDateTime.of(2026, 11, 25, 11, 30, 15, 123_456_789, ZoneOffset.ofHours(1));

    private Samples() {
    }

    static Object payload(PayloadSchema schema) {
        return switch (schema) {
            case CLUSTER_LIFECYCLE -> new ClusterLifecycleData(TENANT, NAMESPACE, CLUSTER, UID, 2, SEQUENCE,
                    "ControlPlaneReady", "Provisioning", "ControlPlaneAvailable", "control plane is available");
            case CLUSTER_STATE -> new ClusterStateSnapshot(UID, TENANT, NAMESPACE, CLUSTER, 2, SEQUENCE, "Ready", false,
                    spec(),
                    List.of(new ConditionData("Ready", "True", "AllReady", "cluster is ready", 2L,
                            "2026-11-25T10:30:15Z")),
                    "https://127.0.0.1:6443", "prod-admin-kubeconfig", "v1.34.1");
            case ADDON_STATE -> new AddonStateReport(UID, TENANT, NAMESPACE, CLUSTER, 2, List.of(
                    new AddonState("cilium", AddonState.State.Installed, "1.18.2", null, true),
                    new AddonState("cert-manager", AddonState.State.Installing, null, "waiting for nodes", false)));
            case AUTOSCALER_STATE -> new AutoscalerStateReport(UID, TENANT, NAMESPACE, CLUSTER,
                    AutoscalerStateReport.State.Configured, null,
                    "registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.1",
                    List.of(new NodeGroupBounds("workers", 1, 5, 2)));
            case NODEGROUP_SCALED -> new NodeGroupScaled(UID, NAMESPACE, CLUSTER, "workers", 2, 3);
            case BRIDGE_STATE -> new BridgeStateReport(UID, TENANT, NAMESPACE, CLUSTER, true,
                    new BridgeComponentState(BridgeComponentState.State.Ready, null),
                    new BridgeComponentState(BridgeComponentState.State.NotReady, "no LoadBalancer pool"),
                    new BridgeComponentState(BridgeComponentState.State.Ready, null));
            case BRIDGE_ACTIVITY -> new BridgeActivity(UID, NAMESPACE, CLUSTER, "PersistentVolumeClaim",
                    "default/data-0", "attached", "hot-plugged into prod-workers-abc12");
        };
    }

    static NestorEvent<Object> event(String type) {
        EventTypes.Route route = EventTypes.route(type);
        Object data = payload(route.schema());
        if (route.lifecycle()) {
            return NestorEvent.lifecycle(type, TIME, TENANT, NAMESPACE, CLUSTER, UID, SEQUENCE, data);
        }
        return NestorEvent.report(route.source(), type, TIME, TENANT, NAMESPACE, CLUSTER, UID, data);
    }

    static JsonNode spec() {
        return EventJson.mapper().createObjectNode()
                .put("version", "v1.34")
                .set("nodeGroups", EventJson.mapper().createArrayNode().add(EventJson.mapper().createObjectNode()
                        .put("name", "workers").put("minReplicas", 1).put("maxReplicas", 5)));
    }
}
