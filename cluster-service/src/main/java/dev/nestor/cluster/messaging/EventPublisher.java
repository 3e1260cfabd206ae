package dev.nestor.cluster.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends lifecycle events and state snapshots. Per cluster uid at most one lifecycle event is in
 * flight (DESIGN §5.3: N+1 goes after N is acknowledged); acknowledgements are remembered so the
 * reconciler can trim its outbox, and each one wakes that cluster's reconcile.
 */
@ApplicationScoped
public class EventPublisher {
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    static final java.time.Duration RETRY_DELAY = java.time.Duration.ofSeconds(5);

    private final CloudEventCodec codec = new CloudEventCodec();
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private final Map<String, String> snapshotsSent = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tombstones = new ConcurrentHashMap<>();
    private volatile Consumer<String> onAcknowledged = key -> {
    };

    /** Records sent, tagged {@code topic} and {@code outcome} ({@code acknowledged} or {@code failed}). */
    public static final String SENT_METRIC = "nestor.events.sent";

    @Inject
    MeterRegistry metrics;

    @Inject
    @Channel("lifecycle")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<Record<String, byte[]>> lifecycle;

    /** Sized for a snapshot of every cluster at start-up (DESIGN §10: 2,000 clusters). */
    @Inject
    @Channel("state")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    Emitter<Record<String, byte[]>> state;

    /** Called with the record key ({@code namespace/name}) whenever something was acknowledged. */
    public void onAcknowledged(Consumer<String> listener) {
        this.onAcknowledged = listener;
    }

    /** The highest lifecycle sequence of {@code uid} Kafka acknowledged in this process, or 0. */
    public long acknowledgedSequence(String uid) {
        return acknowledged.getOrDefault(uid, 0L);
    }

    /** True while a lifecycle event of {@code uid} waits for its acknowledgement. */
    public boolean inFlight(String uid) {
        return inFlight.containsKey(uid);
    }

    /** Sends a recorded lifecycle event unless one of the same cluster is still in flight. */
    public void publishLifecycle(NestorEvent<JsonNode> event) {
        String uid = event.clusterUid();
        if (inFlight.containsKey(uid)) {
            return;
        }
        byte[] body = codec.body(event);
        Headers headers = codec.headers(event);
        if (inFlight.putIfAbsent(uid, event.sequence()) != null) {
            return;
        }
        send(Topics.CLUSTER_LIFECYCLE, lifecycle, event.key(), body, headers, () -> {
            acknowledged.merge(uid, event.sequence(), Math::max);
            inFlight.remove(uid);
            wake(event.key());
        }, failure -> {
            inFlight.remove(uid);
            LOG.warnf("lifecycle event %s not acknowledged, it stays in the outbox: %s", event.id(), failure.getMessage());
            retryLater(event.key());
        });
    }

    /** Sends a state snapshot when it differs from the last one acknowledged for that cluster. */
    public void publishSnapshot(NestorEvent<?> snapshot) {
        String body = new String(codec.body(snapshot), java.nio.charset.StandardCharsets.UTF_8);
        if (body.equals(snapshotsSent.get(snapshot.clusterUid()))) {
            return;
        }
        snapshotsSent.put(snapshot.clusterUid(), body);
        send(Topics.CLUSTER_STATE, state, snapshot.key(), codec.body(snapshot), codec.headers(snapshot), () -> {
        }, failure -> {
            snapshotsSent.remove(snapshot.clusterUid(), body);
            retryLater(snapshot.key());
        });
    }

    /** Sends the state tombstone of a deleted cluster; true once Kafka acknowledged it. */
    public boolean tombstone(String uid, String key) {
        Boolean acked = tombstones.get(uid);
        if (acked != null) {
            return acked;
        }
        tombstones.put(uid, false);
        send(Topics.CLUSTER_STATE, state, key, null, null, () -> {
            tombstones.put(uid, true);
            wake(key);
        }, failure -> {
            tombstones.remove(uid);
            retryLater(key);
        });
        return false;
    }

    private void wake(String key) {
        onAcknowledged.accept(key);
    }

    /** A failed send is retried by the cluster's reconcile, after a pause rather than in a tight loop. */
    private void retryLater(String key) {
        CompletableFuture.delayedExecutor(RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> wake(key));
    }

    /** Forgets a deleted cluster. */
    public void forget(String uid) {
        acknowledged.remove(uid);
        snapshotsSent.remove(uid);
        tombstones.remove(uid);
    }

    private void send(String topic, Emitter<Record<String, byte[]>> channel, String key, byte[] body, Headers headers,
            Runnable acked, Consumer<Throwable> failed) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key);
        if (headers != null) {
            metadata.withHeaders(headers);
        }
        Message<Record<String, byte[]>> message = Message.of(Record.of(key, body))
                .addMetadata(metadata.build())
                .withAck(() -> {
                    count(topic, "acknowledged");
                    acked.run();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    count(topic, "failed");
                    failed.accept(Objects.requireNonNullElse(failure, new IllegalStateException("nacked")));
                    return CompletableFuture.completedFuture(null);
                });
        try {
            channel.send(message);
        } catch (RuntimeException e) {
            count(topic, "failed");
            failed.accept(e);
        }
    }

    private void count(String topic, String outcome) {
        metrics.counter(SENT_METRIC, "topic", topic, "outcome", outcome).increment();
    }
}
