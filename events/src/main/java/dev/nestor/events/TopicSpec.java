package dev.nestor.events;

import java.util.Map;
import java.util.Objects;

/**
 * A Kafka topic as Nestor needs it.
 *
 * @param name the topic name
 * @param partitions the partition count, fixed forever (the record key decides the partition)
 * @param replicationFactor the production replication factor; the sandbox and tests create topics with 1
 * @param configs topic-level configuration, e.g. {@code cleanup.policy}
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be positive for " + name);
        }
        configs = Map.copyOf(configs);
    }

    /** The same topic with another replication factor (the sandbox's single broker needs 1). */
    public TopicSpec withReplicationFactor(short factor) {
        return new TopicSpec(name, partitions, factor, configs);
    }

    /** Whether the topic is log-compacted (only the latest record per key is kept). */
    public boolean compacted() {
        return configs.getOrDefault(Topics.CLEANUP_POLICY, "delete").contains("compact");
    }
}
