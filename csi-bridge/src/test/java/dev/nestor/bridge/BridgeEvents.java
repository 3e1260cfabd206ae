package dev.nestor.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads everything csi-bridge publishes on {@code nestor.bridges}, in the background. */
final class BridgeEvents implements AutoCloseable {

    private final List<NestorEvent<JsonNode>> events = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    BridgeEvents(String bootstrap) {
        CloudEventCodec codec = new CloudEventCodec();
        thread = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < Topics.PARTITIONS; p++) {
                    partitions.add(new TopicPartition(Topics.BRIDGES, p));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            NestorEvent<JsonNode> event = codec.parse(record);
                            synchronized (events) {
                                events.add(event);
                            }
                        } catch (MalformedEventException e) {
                            throw new IllegalStateException("csi-bridge published a malformed event", e);
                        }
                    }
                }
            }
        }, "bridge-events");
        thread.setDaemon(true);
        thread.start();
    }

    /** The events about one cluster, in order. */
    List<NestorEvent<JsonNode>> of(String key) {
        synchronized (events) {
            return events.stream().filter(e -> e.key().equals(key)).toList();
        }
    }

    /** The last event of one of {@code types} about a cluster, or null. */
    NestorEvent<JsonNode> last(String key, String... types) {
        List<NestorEvent<JsonNode>> list = of(key).stream().filter(e -> List.of(types).contains(e.type())).toList();
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** The type of the last state report about a cluster, {@code "none"} before the first. */
    String lastStateType(String key) {
        NestorEvent<JsonNode> last = last(key, EventTypes.BRIDGE_CONNECTED, EventTypes.BRIDGE_DISCONNECTED);
        return last == null ? "none" : last.type();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}
