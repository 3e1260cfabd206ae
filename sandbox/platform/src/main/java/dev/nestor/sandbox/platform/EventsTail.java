package dev.nestor.sandbox.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code ./nestor events}: prints the lifecycle topic from the beginning and follows it, one line per event (time,
 * type, subject, sequence, phase). It reads without a consumer group, so it commits nothing and disturbs no service.
 */
public final class EventsTail {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final String TYPE_PREFIX = "dev.nestor.";

    private final CloudEventCodec codec = new CloudEventCodec();

    public static void main(String[] args) {
        String bootstrap = args.length > 0 ? args[0] : "127.0.0.1:9092";
        String topic = args.length > 1 ? args[1] : Topics.CLUSTER_LIFECYCLE;
        AtomicBoolean running = new AtomicBoolean(true);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.set(false);
            try {
                main.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        new EventsTail().follow(bootstrap, topic, running, System.out);
    }

    /** Prints every record of {@code topic} and then new ones until {@code running} turns false. */
    void follow(String bootstrap, String topic, AtomicBoolean running, PrintStream out) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.CLIENT_ID_CONFIG, "nestor-events-tail");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of();
            while (running.get() && partitions.isEmpty()) {
                try {
                    partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                } catch (TimeoutException e) {
                    partitions = List.of();
                }
                if (partitions.isEmpty()) {
                    out.println("waiting for topic " + topic + " on " + bootstrap + " ...");
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    out.println(line(record));
                }
                out.flush();
            }
        }
    }

    /** One readable line for a record. */
    String line(ConsumerRecord<String, byte[]> record) {
        try {
            NestorEvent<JsonNode> event = codec.parse(record);
            String type = event.type().startsWith(TYPE_PREFIX)
                    ? event.type().substring(TYPE_PREFIX.length()) : event.type();
            JsonNode phase = event.data().get("phase");
            return String.format("%s  %-28s %-40s seq=%-4s phase=%s", event.time(), type, event.subject(),
                    event.sequence() == null ? "-" : event.sequence(), phase == null ? "-" : phase.asText());
        } catch (MalformedEventException e) {
            return String.format("partition %d offset %d: not a valid event (%s)", record.partition(),
                    record.offset(), e.getMessage());
        }
    }
}
