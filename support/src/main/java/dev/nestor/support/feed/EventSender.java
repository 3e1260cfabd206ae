package dev.nestor.support.feed;

import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a satellite's events in CloudEvents binary mode (DESIGN §5.2) on the topic their type belongs to, keyed
 * by cluster, with {@code acks=all} and an idempotent producer. Thread-safe; never blocks the caller.
 */
public final class EventSender implements AutoCloseable {

    private final CloudEventCodec codec = new CloudEventCodec();
    private final KafkaProducer<String, byte[]> producer;

    public EventSender(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends {@code event}; the future completes when Kafka acknowledged it, or fails with the reason. */
    public CompletableFuture<Void> send(NestorEvent<?> event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        String topic = EventTypes.route(event.type()).topic();
        producer.send(codec.toRecord(topic, event), (metadata, failure) -> {
            if (failure == null) {
                sent.complete(null);
            } else {
                sent.completeExceptionally(failure);
            }
        });
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
