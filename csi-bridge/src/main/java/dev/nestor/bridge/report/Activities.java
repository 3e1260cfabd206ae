package dev.nestor.bridge.report;

import dev.nestor.events.EventSources;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.BridgeActivity;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.support.feed.EventSender;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;

/** Publishes what csi-bridge did for a cluster ({@code volume.*}, {@code loadbalancer.*}, {@code node.removed}). */
public final class Activities {

    private static final Logger LOG = Logger.getLogger(Activities.class);

    private final EventSender sender;
    private final Clock clock;

    public Activities(EventSender sender, Clock clock) {
        this.sender = sender;
        this.clock = clock;
    }

    /**
     * Sends one activity event; a failed send is logged, not retried (activities are a history, the state report is
     * the level).
     *
     * @param type one of the {@code EventTypes} routed to {@code nestor.bridges} as bridge activity
     */
    public void record(ClusterStateSnapshot cluster, String type, String objectKind, String objectName,
            String message) {
        record(cluster.uid(), cluster.tenant(), cluster.namespace(), cluster.name(), type, objectKind, objectName,
                message);
    }

    /** The same for a cluster known only by its management objects' labels (its snapshot is gone). */
    public void record(String clusterUid, String tenant, String namespace, String cluster, String type,
            String objectKind, String objectName, String message) {
        String action = type.substring(type.lastIndexOf('.') + 1);
        BridgeActivity activity = new BridgeActivity(clusterUid, namespace, cluster, objectKind, objectName, action,
                message);
        sender.send(NestorEvent.report(EventSources.CSI_BRIDGE, type, OffsetDateTime.now(clock), tenant, namespace,
                cluster, clusterUid, activity))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf("Could not publish %s for %s %s of cluster %s/%s: %s", type, objectKind, objectName,
                                namespace, cluster, failure.toString());
                    }
                });
    }
}
