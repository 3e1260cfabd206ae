package dev.nestor.autoscaler.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest scaling events per cluster uid, as read back from {@code nestor.autoscaling} (what the REST API shows):
 * at most {@code size} per cluster, none older than {@code window}, each event id once, oldest first. Keyed by uid,
 * so a cluster re-created under the same name starts afresh. Thread-safe.
 */
public final class ScalingHistory {

    private record Entry(String id, ScalingEvent event) {
    }

    private final int size;
    private final Duration window;
    private final Clock clock;
    private final Map<String, List<Entry>> byCluster = new ConcurrentHashMap<>();

    public ScalingHistory(int size, Duration window, Clock clock) {
        if (size < 1) {
            throw new IllegalArgumentException("the scaling history keeps at least one event, got " + size);
        }
        this.size = size;
        this.window = window;
        this.clock = clock;
    }

    /** How far back the history goes. */
    public Duration window() {
        return window;
    }

    /**
     * Records an event unless it was seen before (events are delivered at least once), is older than the window, or
     * is older than every kept event of a full history (then it is one that was already dropped, or would be next).
     */
    public void record(String clusterUid, String eventId, ScalingEvent event) {
        if (!event.time().isAfter(oldestShown())) {
            return;
        }
        // each list is immutable and replaced under the map's lock: readers never see one half-written
        byCluster.compute(clusterUid, (uid, kept) -> {
            List<Entry> entries = kept == null ? List.of() : kept;
            if (entries.stream().anyMatch(e -> e.id().equals(eventId))
                    || entries.size() >= size && !event.time().isAfter(entries.get(0).event().time())) {
                return kept;
            }
            List<Entry> updated = new ArrayList<>(entries);
            // in time order: a re-send or a lease hand-over may deliver an event after a later one
            int at = updated.size();
            while (at > 0 && updated.get(at - 1).event().time().isAfter(event.time())) {
                at--;
            }
            updated.add(at, new Entry(eventId, event));
            return List.copyOf(updated.subList(Math.max(0, updated.size() - size), updated.size()));
        });
    }

    /** The cluster's events within the window, oldest first. */
    public List<ScalingEvent> of(String clusterUid) {
        OffsetDateTime oldest = oldestShown();
        return byCluster.getOrDefault(clusterUid, List.of()).stream().map(Entry::event)
                .filter(e -> e.time().isAfter(oldest)).toList();
    }

    /** Forgets clusters whose latest event left the window (deleted ones among them), so memory stays bounded. */
    public void prune() {
        OffsetDateTime oldest = oldestShown();
        byCluster.keySet().forEach(uid -> byCluster.computeIfPresent(uid, (key, entries) ->
                entries.get(entries.size() - 1).event().time().isAfter(oldest) ? entries : null));
    }

    private OffsetDateTime oldestShown() {
        return OffsetDateTime.now(clock).minus(window);
    }
}
