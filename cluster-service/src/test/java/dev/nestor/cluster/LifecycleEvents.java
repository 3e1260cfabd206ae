package dev.nestor.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads a Nestor topic (by default the lifecycle topic) from the beginning, as an integrator would. */
public final class LifecycleEvents implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

    public LifecycleEvents() {
        this(Topics.CLUSTER_LIFECYCLE);
    }

    /** Reads another topic, e.g. the state topic. */
    public LifecycleEvents(String topic) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Every record read so far, after polling once more. */
    public List<ConsumerRecord<String, byte[]>> records() {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return List.copyOf(records);
    }

    /**
     * The parsed events of one cluster uid, in offset order, each id once: delivery is at least once
     * and integrators deduplicate by id (DESIGN §5.3), so a redelivery is not a second event.
     */
    public List<NestorEvent<JsonNode>> of(String uid) {
        List<NestorEvent<JsonNode>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records()) {
            try {
                NestorEvent<JsonNode> e = codec.parse(r);
                if (uid.equals(e.clusterUid()) && out.stream().noneMatch(seen -> seen.id().equals(e.id()))) {
                    out.add(e);
                }
            } catch (MalformedEventException e) {
                throw new AssertionError("malformed event on the lifecycle topic: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The records of one key ({@code namespace/name}), in order; a tombstone has a null value. */
    public List<ConsumerRecord<String, byte[]>> ofKey(String key) {
        return records().stream().filter(r -> key.equals(r.key())).toList();
    }

    /** Types of one cluster's events, in order. */
    public List<String> typesOf(String uid) {
        return of(uid).stream().map(NestorEvent::type).map(t -> t.substring("dev.nestor.cluster.".length())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
