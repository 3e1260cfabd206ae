package dev.nestor.bridge.report;

import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.BridgeStateReport;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.support.feed.EventSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Publishes csi-bridge's full view of a cluster ({@code bridge.connected} / {@code bridge.disconnected}) when it
 * changed, and again once per resync period so a consumer that lost it catches up (DESIGN §5.2).
 */
public final class StateReports {

    private static final Logger LOG = Logger.getLogger(StateReports.class);

    private final EventSender sender;
    private final Clock clock;
    private final Duration resync;
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();

    private record Sent(BridgeStateReport report, Instant at) {
    }

    public StateReports(EventSender sender, Clock clock, Duration resync) {
        this.sender = sender;
        this.clock = clock;
        this.resync = resync;
    }

    /** Publishes {@code report} unless the same one went out less than a resync period ago. */
    public void publish(ClusterStateSnapshot cluster, BridgeStateReport report) {
        String key = cluster.namespace() + "/" + cluster.name();
        Instant now = clock.instant();
        Sent previous = sent.get(key);
        // Half a period, so the feed's periodic wake-up always finds the last report due.
        if (previous != null && previous.report().equals(report)
                && now.isBefore(previous.at().plus(resync.dividedBy(2)))) {
            return;
        }
        sent.put(key, new Sent(report, now));
        String type = report.connected() ? EventTypes.BRIDGE_CONNECTED : EventTypes.BRIDGE_DISCONNECTED;
        sender.send(NestorEvent.report(EventSources.CSI_BRIDGE, type, OffsetDateTime.now(clock), cluster.tenant(),
                cluster.namespace(), cluster.name(), cluster.uid(), report))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        // Sent again on the next reconcile: the report is level, not history.
                        sent.remove(key);
                        LOG.warnf("Could not publish the bridge state of cluster %s: %s", key, failure.toString());
                    }
                });
    }

    /** Forgets what was sent for a cluster (it was revoked or deleted). */
    public void forget(String key) {
        sent.remove(key);
    }
}
