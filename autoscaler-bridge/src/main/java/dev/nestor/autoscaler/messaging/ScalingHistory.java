package dev.nestor.autoscaler.messaging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The latest scaling events per cluster key, in memory and bounded (what the REST API shows). */
public final class ScalingHistory {
    private final int size;
    private final Map<String, Deque<ScalingEvent>> byCluster = new ConcurrentHashMap<>();

    public ScalingHistory(int size) {
        this.size = size;
    }

    public void record(String key, ScalingEvent event) {
        Deque<ScalingEvent> events = byCluster.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (events) {
            events.addLast(event);
            while (events.size() > size) {
                events.removeFirst();
            }
        }
    }

    /** The cluster's events, oldest first. */
    public List<ScalingEvent> of(String key) {
        Deque<ScalingEvent> events = byCluster.get(key);
        if (events == null) {
            return List.of();
        }
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Forgets a deleted cluster (a cluster re-created under the name starts afresh). */
    public void forget(String key) {
        byCluster.remove(key);
    }
}
