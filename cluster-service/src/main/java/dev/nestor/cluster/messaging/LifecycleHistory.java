package dev.nestor.cluster.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.cluster.config.EventsStreamConfig;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every replica's read-only view of {@code nestor.cluster.lifecycle}: the recent events of each cluster uid,
 * replayed to a new stream and then followed live. The topic is read with {@code assign} on all partitions from
 * the beginning — no consumer group, no commits — so every replica sees every event without taking part in the
 * leader's consumer groups (DESIGN §10).
 */
@ApplicationScoped
public class LifecycleHistory {
    private static final Logger LOG = Logger.getLogger(LifecycleHistory.class);
    private static final String TOPIC = Topics.CLUSTER_LIFECYCLE;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final EventsStreamConfig config;
    private final Clock clock;
    private final String bootstrapServers;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: one timeline per cluster uid. */
    private final Map<String, Timeline> timelines = new HashMap<>();

    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread reader;
    private Instant lastSweep = Instant.EPOCH;

    @Inject
    public LifecycleHistory(EventsStreamConfig config, Clock clock,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.clock = clock;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The events of one cluster uid with a sequence above {@code since}: the retained history, then live ones as
     * they are read. Completes after {@code cluster.deleted}; fails when the subscriber falls further behind than
     * {@code nestor.events-stream.subscriber-buffer} (a client reconnects with its last event id).
     */
    public Multi<NestorEvent<JsonNode>> stream(String uid, long since) {
        Multi<NestorEvent<JsonNode>> events = Multi.createFrom().emitter(emitter -> {
            synchronized (lock) {
                // history and registration under one lock: nothing read meanwhile is missed or sent twice
                Timeline timeline = timelines.computeIfAbsent(uid, u -> new Timeline());
                timeline.events.tailMap(since, false).values().forEach(emitter::emit);
                if (timeline.deletedAt != null) {
                    emitter.complete();
                    return;
                }
                Subscriber subscriber = new Subscriber(emitter, since);
                timeline.subscribers.add(subscriber);
                emitter.onTermination(() -> unsubscribe(uid, subscriber));
            }
        }, config.historySize() + config.subscriberBuffer());
        // the reader thread only queues; writing to clients happens elsewhere
        return events.emitOn(Infrastructure.getDefaultExecutor());
    }

    /** Records one lifecycle event and hands it to the streams of its cluster, unless it was seen before. */
    void accept(NestorEvent<JsonNode> event) {
        if (event.sequence() == null) {
            LOG.warnf("skipping %s %s on %s: not a lifecycle event (no sequence)", event.type(), event.id(), TOPIC);
            return;
        }
        long sequence = event.sequence();
        boolean deleted = EventTypes.CLUSTER_DELETED.equals(event.type());
        synchronized (lock) {
            Timeline timeline = timelines.computeIfAbsent(event.clusterUid(), u -> new Timeline());
            // a parsed lifecycle event's id is <uid>:<sequence>, so the sequence within a uid is the id
            if (sequence <= timeline.dropped || timeline.events.containsKey(sequence)) {
                return;
            }
            timeline.events.put(sequence, event);
            while (timeline.events.size() > config.historySize()) {
                timeline.dropped = Math.max(timeline.dropped, timeline.events.pollFirstEntry().getKey());
            }
            if (deleted) {
                timeline.deletedAt = event.time().toInstant();
            }
            // a copy: a subscriber that ends (completed, cancelled, overflowed) unsubscribes itself
            List<Subscriber> subscribers = List.copyOf(timeline.subscribers);
            for (Subscriber subscriber : subscribers) {
                if (sequence > subscriber.since()) {
                    subscriber.emitter().emit(event);
                }
            }
            if (deleted) {
                timeline.subscribers.clear();
                subscribers.forEach(s -> s.emitter().complete());
            }
        }
    }

    /**
     * Forgets clusters deleted longer than {@code nestor.events-stream.deleted-retention} ago, measured from the
     * event time of their {@code cluster.deleted}, so replaying old deletions at startup holds nothing for long.
     */
    void evictExpired() {
        Instant cutoff = clock.instant().minus(config.deletedRetention());
        synchronized (lock) {
            timelines.values().removeIf(t -> t.deletedAt != null && t.deletedAt.isBefore(cutoff));
        }
    }

    /** Open streams over all clusters. */
    int subscriberCount() {
        synchronized (lock) {
            return timelines.values().stream().mapToInt(t -> t.subscribers.size()).sum();
        }
    }

    private void unsubscribe(String uid, Subscriber subscriber) {
        synchronized (lock) {
            Timeline timeline = timelines.get(uid);
            if (timeline != null) {
                timeline.subscribers.remove(subscriber);
                if (timeline.events.isEmpty() && timeline.subscribers.isEmpty()) {
                    timelines.remove(uid);
                }
            }
        }
    }

    void start(@Observes StartupEvent startup) {
        // its own thread: startup never waits for the broker
        reader = new Thread(this::readUntilStopped, "lifecycle-history");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        stopping.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void readUntilStopped() {
        Map<TopicPartition, Long> positions = new HashMap<>();
        boolean failing = false;
        while (stopping.getCount() > 0) {
            try (KafkaConsumer<String, byte[]> opened = newConsumer()) {
                consumer = opened;
                if (stopping.getCount() == 0) {
                    return; // stop() ran before it could see this consumer to wake it up
                }
                List<TopicPartition> partitions = partitions(opened);
                if (partitions.isEmpty()) {
                    throw new KafkaException("topic " + TOPIC + " does not exist yet");
                }
                opened.assign(partitions);
                for (TopicPartition partition : partitions) {
                    Long next = positions.get(partition);
                    if (next == null) {
                        opened.seekToBeginning(List.of(partition));
                    } else {
                        opened.seek(partition, next);
                    }
                }
                if (failing) {
                    LOG.infof("reading %s again", TOPIC);
                    failing = false;
                }
                readAssigned(opened, positions);
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                // the first failure is worth a warning; repeats while the broker stays away are not
                if (!failing) {
                    LOG.warnf("cannot read %s from %s, retrying every %s: %s", TOPIC, bootstrapServers,
                            config.reconnectBackoff(), e.getMessage());
                }
                failing = true;
            } finally {
                consumer = null;
            }
            try {
                stopping.await(config.reconnectBackoff().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void readAssigned(KafkaConsumer<String, byte[]> opened, Map<TopicPartition, Long> positions) {
        while (stopping.getCount() > 0) {
            for (ConsumerRecord<String, byte[]> record : opened.poll(POLL)) {
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                try {
                    accept(codec.parse(record));
                } catch (MalformedEventException e) {
                    LOG.warnf("skipping record %s-%d@%d (key %s): %s", record.topic(), record.partition(),
                            record.offset(), record.key(), e.getMessage());
                }
            }
            Instant now = clock.instant();
            if (now.isAfter(lastSweep.plus(SWEEP_EVERY))) {
                lastSweep = now;
                evictExpired();
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> opened) {
        List<PartitionInfo> infos = opened.partitionsFor(TOPIC, METADATA_TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        // no group.id: nothing is committed and no replica joins or disturbs a consumer group; a reader never
        // creates the topic (the topic specification in events/ does)
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "nestor-cluster-service-lifecycle-history"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** One cluster uid's retained events (by sequence) and open streams. */
    private static final class Timeline {
        final TreeMap<Long, NestorEvent<JsonNode>> events = new TreeMap<>();
        final List<Subscriber> subscribers = new ArrayList<>();
        /** The highest sequence pushed out by the bound: anything at or below it is a redelivery. */
        long dropped;
        /** The time of this uid's {@code cluster.deleted}, once read. */
        Instant deletedAt;
    }

    private record Subscriber(MultiEmitter<? super NestorEvent<JsonNode>> emitter, long since) {
    }
}
