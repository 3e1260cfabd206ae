package dev.nestor.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one specification of Nestor's Kafka topics (DESIGN §5.2–5.3): names, partitions, configuration and the
 * dead-letter topics {@code <topic>.<group>.dlq} of every consumer group.
 */
public final class Topics {

    public static final String CLUSTER_LIFECYCLE = "nestor.cluster.lifecycle";
    public static final String CLUSTER_STATE = "nestor.cluster.state";
    public static final String ADDONS = "nestor.addons";
    public static final String AUTOSCALING = "nestor.autoscaling";
    public static final String BRIDGES = "nestor.bridges";

    /** Fixed forever: the key {@code <namespace>/<name>} maps a cluster to one partition of every topic. */
    public static final int PARTITIONS = 12;

    /** The replication factor of production topics (the sandbox overrides it with 1). */
    public static final short REPLICATION_FACTOR = 3;

    static final String CLEANUP_POLICY = "cleanup.policy";
    private static final long SEVEN_DAYS_MS = Duration.ofDays(7).toMillis();

    private static final Map<String, List<String>> CONSUMED_BY = Map.of(
            ConsumerGroups.CLUSTER_SERVICE, List.of(ADDONS, AUTOSCALING, BRIDGES),
            ConsumerGroups.ADDON_SERVICE, List.of(CLUSTER_STATE, CLUSTER_LIFECYCLE),
            ConsumerGroups.AUTOSCALER_BRIDGE, List.of(CLUSTER_STATE, CLUSTER_LIFECYCLE),
            ConsumerGroups.CSI_BRIDGE, List.of(CLUSTER_STATE, CLUSTER_LIFECYCLE));

    /**
     * Topics a service re-reads on every replica without a consumer group (no offsets, no dead letters): the
     * autoscaler-bridge rebuilds the scaling history it serves from its own {@code nodegroup.scaled} events.
     */
    private static final Map<String, List<String>> READ_WITHOUT_GROUP = Map.of(
            ConsumerGroups.AUTOSCALER_BRIDGE, List.of(AUTOSCALING));

    private Topics() {
    }

    /** The five event topics. */
    public static List<TopicSpec> eventTopics() {
        Map<String, String> events = Map.of(CLEANUP_POLICY, "delete", "retention.ms", Long.toString(SEVEN_DAYS_MS));
        return List.of(
                topic(CLUSTER_LIFECYCLE, events),
                // Only the latest snapshot per cluster matters. Tombstones stay 7 days so that a consumer that was
                // down less than that still sees a deletion; short segments and lag let compaction actually run.
                topic(CLUSTER_STATE, Map.of(
                        CLEANUP_POLICY, "compact",
                        "delete.retention.ms", Long.toString(SEVEN_DAYS_MS),
                        "min.compaction.lag.ms", Long.toString(Duration.ofMinutes(1).toMillis()),
                        "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                        "min.cleanable.dirty.ratio", "0.1")),
                topic(ADDONS, events),
                topic(AUTOSCALING, events),
                topic(BRIDGES, events));
    }

    /** The dead-letter topics: one per (consumed topic, consumer group). */
    public static List<TopicSpec> deadLetterTopics() {
        Map<String, String> dlq = Map.of(CLEANUP_POLICY, "delete",
                "retention.ms", Long.toString(Duration.ofDays(14).toMillis()));
        List<TopicSpec> topics = new ArrayList<>();
        for (String group : ConsumerGroups.all()) {
            for (String topic : consumedBy(group)) {
                topics.add(topic(dlq(topic, group), dlq));
            }
        }
        return List.copyOf(topics);
    }

    /** Every topic: the event topics, then the dead-letter topics. */
    public static List<TopicSpec> all() {
        List<TopicSpec> all = new ArrayList<>(eventTopics());
        all.addAll(deadLetterTopics());
        return List.copyOf(all);
    }

    /** The spec of a topic by name. */
    public static Optional<TopicSpec> byName(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** The topics a consumer group reads (DESIGN §2.1). */
    public static List<String> consumedBy(String group) {
        List<String> topics = CONSUMED_BY.get(group);
        if (topics == null) {
            throw new IllegalArgumentException("unknown consumer group '" + group + "'");
        }
        return topics;
    }

    /** The topics a service reads without its group, besides those it consumes (none for most). */
    public static List<String> readWithoutGroupBy(String group) {
        consumedBy(group); // the same check of the name
        return READ_WITHOUT_GROUP.getOrDefault(group, List.of());
    }

    /** The dead-letter topic of a group for one topic: {@code <topic>.<group>.dlq}. */
    public static String dlq(String topic, String group) {
        return topic + "." + group + ".dlq";
    }

    private static TopicSpec topic(String name, Map<String, String> configs) {
        return new TopicSpec(name, PARTITIONS, REPLICATION_FACTOR, configs);
    }
}
