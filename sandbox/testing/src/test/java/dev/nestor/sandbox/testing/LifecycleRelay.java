package dev.nestor.sandbox.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Sends and receives Nestor events through SmallRye Reactive Messaging, as the services do. */
@ApplicationScoped
public class LifecycleRelay {

    private final CloudEventCodec codec = new CloudEventCodec();
    private final List<NestorEvent<JsonNode>> received = new CopyOnWriteArrayList<>();

    @Inject
    @Channel("lifecycle-out")
    Emitter<byte[]> emitter;

    CompletableFuture<Void> send(NestorEvent<?> event) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.key())
                .withHeaders(codec.headers(event))
                .build();
        emitter.send(Message.of(codec.body(event))
                .addMetadata(metadata)
                .withAck(() -> {
                    acked.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acked.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
        return acked;
    }

    @Incoming("lifecycle-in")
    void receive(ConsumerRecord<String, byte[]> record) throws MalformedEventException {
        received.add(codec.parse(record));
    }

    List<NestorEvent<JsonNode>> received() {
        return received;
    }
}
