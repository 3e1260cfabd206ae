package dev.nestor.support.feed;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.DeadLetterHeaders;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The level-triggered input of a satellite (DESIGN §5.3): the latest snapshot of every cluster from the compacted
 * {@code nestor.cluster.state} topic, and a wake-up whenever something about a cluster changed.
 *
 * <p>One consumer thread in the service's group reads the state and lifecycle topics. The state topic's partitions
 * are re-read from the beginning on every assignment, so a restarted (or newly assigned) replica rebuilds its view
 * from the compacted log; a tombstone forgets the cluster. Lifecycle events only wake, deduplicated by (source,
 * cluster uid, sequence). Offsets are committed after a batch was recorded (at-least-once; recording is
 * idempotent). A record that is not a valid Nestor event for its topic goes to {@code <topic>.<group>.dlq} with
 * {@link DeadLetterHeaders}, and the feed moves on.
 *
 * <p>With several replicas in the group each owns some partitions, and so some clusters (DESIGN §10: same key and
 * partition count on both topics); when partitions move away, their clusters are forgotten and
 * {@code onRevoked} tells the service to stop their work before another replica starts it.
 *
 * <p>Metrics per group, never per cluster: {@code nestor.feed.records} counts records by topic and outcome
 * ({@code news}, {@code known} for stale or duplicate ones, {@code tombstone}, {@code dead-lettered}) and
 * {@code nestor.feed.clusters} is how many clusters this replica holds.
 */
public final class ClusterFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFeed.class);
    private static final Duration BACKOFF = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(10);
    /** Records read, tagged {@code group}, {@code topic} and {@code outcome}. */
    public static final String RECORDS_METRIC = "nestor.feed.records";
    /** Clusters this replica holds a snapshot of, tagged {@code group}. */
    public static final String CLUSTERS_METRIC = "nestor.feed.clusters";

    private final String bootstrapServers;
    private final String group;
    private final Consumer<String> onWake;
    private final Consumer<Set<String>> onRevoked;
    private final Duration resync;
    private final MeterRegistry metrics;
    private final Gauge clustersGauge;
    /** The record counters by topic and outcome, looked up once rather than per record. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final CloudEventCodec codec = new CloudEventCodec();
    private final ClusterSnapshots snapshots = new ClusterSnapshots();
    private final Map<String, Integer> partitionOfKey = new ConcurrentHashMap<>();
    private final Map<String, Long> lifecycleSeen = new ConcurrentHashMap<>();
    private final Set<Integer> ownedStatePartitions = ConcurrentHashMap.newKeySet();
    private final ConsumerLoop loop = new ConsumerLoop();
    private final ScheduledExecutorService resyncTimer;

    private ClusterFeed(Builder builder) {
        this.bootstrapServers = builder.bootstrapServers;
        this.group = builder.group;
        this.onWake = builder.onWake;
        this.onRevoked = builder.onRevoked;
        this.resync = builder.resync;
        this.metrics = builder.metrics;
        this.clustersGauge = Gauge.builder(CLUSTERS_METRIC, snapshots, known -> known.keys().size()).tag("group", group)
                .description("clusters whose snapshot this replica holds").register(metrics);
        this.resyncTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, group + "-resync");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A feed for the consumer group {@code group} (one of {@code ConsumerGroups}). */
    public static Builder builder(String bootstrapServers, String group) {
        return new Builder(bootstrapServers, group);
    }

    /** What this replica knows of its clusters. */
    public ClusterSnapshots snapshots() {
        return snapshots;
    }

    /** Whether this replica currently owns the cluster (it has read its snapshot from a partition it holds). */
    public boolean owns(String key) {
        return snapshots.get(key).isPresent();
    }

    /**
     * Whether this replica holds the partition a cluster key maps to, whether or not it knows that cluster (a
     * deleted one, say): the one replica that should act for it.
     */
    public boolean ownsPartitionOf(String key) {
        return ownedStatePartitions.contains(partitionOf(key));
    }

    /** The partition of every Nestor topic a cluster key maps to (Kafka's default partitioner for keyed records). */
    public static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topics.PARTITIONS;
    }

    /** Starts the consumer thread and the periodic resync; returns at once; a second call does nothing. */
    public void start() {
        if (!loop.start(group + "-feed", this::consume)) {
            return;
        }
        long period = resync.toMillis();
        resyncTimer.scheduleAtFixedRate(this::resyncAll, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        resyncTimer.shutdownNow();
        metrics.remove(clustersGauge); // a feed built later in this process takes the name
        loop.close();
    }

    private void resyncAll() {
        snapshots.keys().forEach(this::wake);
    }

    private void consume() {
        while (loop.running()) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                    // Only the partitions that move are revoked: the other clusters' work goes on.
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                    new StringDeserializer(),
                    new ByteArrayDeserializer());
                 KafkaProducer<String, byte[]> deadLetters = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEAD_LETTER_TIMEOUT.toMillis()), new StringSerializer(),
                    new ByteArraySerializer())) {
                loop.using(kafka);
                kafka.subscribe(List.of(Topics.CLUSTER_STATE, Topics.CLUSTER_LIFECYCLE), new Rebalance(kafka));
                while (loop.running()) {
                    ConsumerRecords<String, byte[]> batch = kafka.poll(POLL);
                    List<Future<RecordMetadata>> deadLettered = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> record : batch) {
                        handle(record, deadLetters).ifPresent(deadLettered::add);
                    }
                    if (!batch.isEmpty()) {
                        awaitDeadLetters(deadLettered);
                        commit(kafka);
                    }
                }
            } catch (WakeupException | InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                LOG.warn("{} feed: {}; reconnecting in {}", group, e.toString(), BACKOFF);
                try {
                    Thread.sleep(BACKOFF.toMillis()); // the feed's own thread, never a handler
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Commits the batch. A rebalance in progress refuses the commit: the batch is then read again by whoever owns
     * its partitions next, which recording tolerates, so the consumer stays in the group instead of rejoining.
     */
    private void commit(KafkaConsumer<String, byte[]> kafka) {
        try {
            kafka.commitSync();
        } catch (RebalanceInProgressException | CommitFailedException e) {
            LOG.debug("{} feed: commit refused during a rebalance ({}); the batch will be read again", group,
                    e.toString());
        }
    }

    /**
     * Waits until every dead letter of a batch is stored: only then may the batch's offsets be committed. A failure
     * is transient (the DLQ unreachable, say) and throws, so the batch is read again after a reconnect.
     */
    private static void awaitDeadLetters(List<Future<RecordMetadata>> deadLettered) {
        for (Future<RecordMetadata> sent : deadLettered) {
            try {
                sent.get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not store a dead letter: " + e.getMessage(), e);
            }
        }
    }

    /** Records one record; when it is not a valid event for its topic, dead-letters it and returns the send. */
    Optional<Future<RecordMetadata>> handle(ConsumerRecord<String, byte[]> record,
            KafkaProducer<String, byte[]> deadLetters) {
        try {
            if (record.key() == null) {
                throw new MalformedEventException("record without a key");
            }
            if (record.topic().equals(Topics.CLUSTER_STATE)) {
                partitionOfKey.put(record.key(), record.partition());
                if (record.value() == null) {
                    tombstone(record.key());
                    count(record, "tombstone");
                    return Optional.empty();
                }
            }
            NestorEvent<JsonNode> event = codec.parse(record.key(), record.headers(), record.value());
            String topic = EventTypes.route(event.type()).topic();
            if (!topic.equals(record.topic())) {
                throw new MalformedEventException(event.type() + " belongs on " + topic + ", not on " + record.topic());
            }
            if (record.topic().equals(Topics.CLUSTER_STATE)) {
                ClusterStateSnapshot snapshot = codec.data(event, ClusterStateSnapshot.class);
                boolean news = snapshots.record(record.key(), snapshot) == ClusterSnapshots.Outcome.RECORDED;
                count(record, news ? "news" : "known");
                if (news) {
                    wake(record.key());
                }
            } else if (isNewLifecycleEvent(event)) {
                count(record, "news");
                wake(record.key());
            } else {
                count(record, "known");
            }
            return Optional.empty();
        } catch (MalformedEventException | IllegalArgumentException e) {
            String dlq = Topics.dlq(record.topic(), group);
            count(record, "dead-lettered");
            LOG.warn("Dead-lettering {}-{}@{} (key {}) to {}: {}", record.topic(), record.partition(), record.offset(),
                    record.key(), dlq, e.getMessage());
            return Optional.of(deadLetters.send(new ProducerRecord<>(dlq, null, record.key(), record.value(),
                    DeadLetterHeaders.of(record.headers(), record.topic(), record.partition(), record.offset(),
                            Objects.requireNonNullElse(e.getMessage(), e.toString())))));
        }
    }

    private void count(ConsumerRecord<String, byte[]> record, String outcome) {
        counters.computeIfAbsent(record.topic() + " " + outcome, k -> Counter.builder(RECORDS_METRIC)
                .tag("group", group).tag("topic", record.topic()).tag("outcome", outcome)
                .description("records read from the cluster feed").register(metrics)).increment();
    }

    private boolean isNewLifecycleEvent(NestorEvent<JsonNode> event) {
        String uid = event.clusterUid();
        long sequence = event.sequence() == null ? 0 : event.sequence();
        if (snapshots.covers(event.key(), uid, sequence)) {
            return false;
        }
        // Lifecycle events have one source (their type's route says so), so the uid and sequence identify them.
        if (sequence <= lifecycleSeen.getOrDefault(uid, 0L)) {
            return false;
        }
        lifecycleSeen.put(uid, sequence);
        return true;
    }

    private void tombstone(String key) {
        partitionOfKey.remove(key);
        if (forget(key)) {
            wake(key);
        }
    }

    /** Forgets everything known of a cluster; true when it was known. */
    private boolean forget(String key) {
        snapshots.get(key).ifPresent(known -> lifecycleSeen.remove(known.uid()));
        return snapshots.forget(key);
    }

    private void wake(String key) {
        try {
            onWake.accept(key);
        } catch (RuntimeException e) {
            LOG.warn("Waking {} failed: {}", key, e.toString());
        }
    }

    /** Re-reads the state topic on assignment; forgets (and reports) the clusters of revoked partitions. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        Rebalance(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> state = partitions.stream()
                    .filter(p -> p.topic().equals(Topics.CLUSTER_STATE)).toList();
            if (partitions.isEmpty()) {
                return;
            }
            state.forEach(p -> ownedStatePartitions.add(p.partition()));
            kafka.seekToBeginning(state);
            LOG.info("{} feed: assigned {} partitions, re-reading {} state partitions", group, partitions.size(),
                    state.size());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoke(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoke(partitions);
        }

        private void revoke(Collection<TopicPartition> partitions) {
            Set<Integer> gone = new HashSet<>();
            partitions.stream().filter(p -> p.topic().equals(Topics.CLUSTER_STATE))
                    .forEach(p -> gone.add(p.partition()));
            if (gone.isEmpty()) {
                return;
            }
            ownedStatePartitions.removeAll(gone);
            Set<String> keys = new HashSet<>();
            partitionOfKey.forEach((key, partition) -> {
                if (gone.contains(partition)) {
                    keys.add(key);
                }
            });
            keys.forEach(key -> {
                partitionOfKey.remove(key);
                forget(key);
            });
            if (!keys.isEmpty()) {
                LOG.info("{} feed: {} clusters moved to another replica", group, keys.size());
                try {
                    onRevoked.accept(Set.copyOf(keys));
                } catch (RuntimeException e) {
                    LOG.warn("Stopping revoked clusters failed: {}", e.toString());
                }
            }
        }
    }

    /** Configures a {@link ClusterFeed}. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String group;
        private Consumer<String> onWake = key -> {
        };
        private Consumer<Set<String>> onRevoked = keys -> {
        };
        private Duration resync = Duration.ofMinutes(1);
        private MeterRegistry metrics = Metrics.globalRegistry;

        private Builder(String bootstrapServers, String group) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.group = Objects.requireNonNull(group, "group");
        }

        /** Called with a cluster key when its snapshot changed, a lifecycle event arrived or it was forgotten; must not block. */
        public Builder onWake(Consumer<String> listener) {
            this.onWake = Objects.requireNonNull(listener);
            return this;
        }

        /** Called with the keys whose partitions moved to another replica, before that replica reads them. */
        public Builder onRevoked(Consumer<Set<String>> listener) {
            this.onRevoked = Objects.requireNonNull(listener);
            return this;
        }

        /** How often every known cluster is woken even without news (default 1 minute). */
        public Builder resync(Duration period) {
            if (period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("resync period must be positive, got " + period);
            }
            this.resync = period;
            return this;
        }

        /** Where the feed's metrics go (default Micrometer's global registry). */
        public Builder metrics(MeterRegistry registry) {
            this.metrics = Objects.requireNonNull(registry);
            return this;
        }

        public ClusterFeed build() {
            return new ClusterFeed(this);
        }
    }
}
