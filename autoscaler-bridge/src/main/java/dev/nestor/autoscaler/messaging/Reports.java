package dev.nestor.autoscaler.messaging;

import dev.nestor.autoscaler.render.NodeGroup;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.AutoscalerStateReport.State;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.NodeGroupBounds;
import dev.nestor.events.payload.NodeGroupScaled;
import dev.nestor.support.feed.EventSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes autoscaler-bridge's events on {@code nestor.autoscaling}: the state report of a cluster whenever it
 * changes and again once per resync period (DESIGN §5.2: state reports are re-emitted), and {@code nodegroup.scaled}.
 */
public final class Reports {
    private static final Logger LOG = LoggerFactory.getLogger(Reports.class);

    private record Sent(AutoscalerStateReport report, Instant at) {
    }

    private final EventSender sender;
    private final Clock clock;
    private final Duration resync;
    private final Map<String, Sent> lastSent = new ConcurrentHashMap<>();

    public Reports(EventSender sender, Clock clock, Duration resync) {
        this.sender = sender;
        this.clock = clock;
        this.resync = resync;
    }

    /** Sends the cluster's current report unless the same one went out less than a resync period ago. */
    public void report(ClusterStateSnapshot cluster, State state, String message, String image, List<NodeGroup> groups) {
        AutoscalerStateReport report = new AutoscalerStateReport(cluster.uid(), cluster.tenant(), cluster.namespace(),
                cluster.name(), state, message, image, bounds(groups));
        String key = NestorEvent.key(cluster.namespace(), cluster.name());
        Instant now = clock.instant();
        Sent last = lastSent.get(key);
        // a little slack, so the feed's periodic wake-up is what re-emits
        if (last != null && last.report().equals(report)
                && now.isBefore(last.at().plus(resync).minus(resync.dividedBy(10)))) {
            return;
        }
        Sent sent = new Sent(report, now);
        lastSent.put(key, sent);
        sender.send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, type(state), OffsetDateTime.now(clock),
                cluster.tenant(), cluster.namespace(), cluster.name(), cluster.uid(), report))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("Report on {} not sent, sending again on the next reconcile: {}", key,
                                failure.toString());
                        lastSent.remove(key, sent);
                    }
                });
    }

    /** Sends {@code nodegroup.scaled}. */
    public void scaled(ClusterStateSnapshot cluster, ScalingEvent event) {
        NodeGroupScaled payload = new NodeGroupScaled(cluster.uid(), cluster.namespace(), cluster.name(),
                event.nodeGroup(), event.from(), event.to());
        sender.send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.NODEGROUP_SCALED, event.time(),
                cluster.tenant(), cluster.namespace(), cluster.name(), cluster.uid(), payload))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warn("nodegroup.scaled of {}/{} lost: {}", cluster.name(), event.nodeGroup(),
                                failure.toString());
                    }
                });
    }

    /** Forgets what was sent for a cluster that is gone. */
    public void forget(String key) {
        lastSent.remove(key);
    }

    static String type(State state) {
        return switch (state) {
            case Configured -> EventTypes.AUTOSCALER_CONFIGURED;
            case Failed -> EventTypes.AUTOSCALER_FAILED;
            // nothing is deployed either way: NotRequired says why
            case Removed, NotRequired -> EventTypes.AUTOSCALER_REMOVED;
        };
    }

    static List<NodeGroupBounds> bounds(List<NodeGroup> groups) {
        return groups.stream().filter(NodeGroup::autoscaled)
                .map(g -> new NodeGroupBounds(g.name(), g.minSize(), g.maxSize(), g.desired())).toList();
    }
}
