package dev.nestor.support.feed;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.DeadLetterHeaders;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterLifecycleData;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.sandbox.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The satellites' input against a real broker: snapshots, wake-ups, dead letters, tombstones, restarts, shards. */
class ClusterFeedTest {

    private static final CloudEventCodec CODEC = new CloudEventCodec();
    /** Keeps the Kafka clients' configuration dumps out of the log; a strong reference keeps the level. */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");
    private static Path dataDir;
    private static KafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startBroker() throws Exception {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING);
        dataDir = Files.createTempDirectory(Path.of("target"), "kafka-feed-");
        broker = KafkaBroker.start(0, dataDir);
        broker.ensureTopics();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (dataDir != null) {
            try (var paths = Files.walk(dataDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (java.io.IOException e) {
                // target/ is cleaned by the next build anyway
            }
        }
    }

    @Test
    void keepsTheLatestSnapshotWakesOnNewsAndForgetsOnATombstone() throws Exception {
        String group = newGroup();
        String uid = UUID.randomUUID().toString();
        String key = "tenant-acme/feed-a";
        List<String> wakes = new CopyOnWriteArrayList<>();
        try (ClusterFeed feed = ClusterFeed.builder(broker.bootstrapServers(), group).onWake(wakes::add)
                .resync(Duration.ofHours(1)).build()) {
            feed.start();
            publishState(key, uid, 1, 3, "Provisioning");
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.snapshots().get(key).isPresent());
            assertThat(feed.snapshots().get(key).orElseThrow().phase()).isEqualTo("Provisioning");

            publishState(key, uid, 1, 4, "Ready");
            await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(feed.snapshots().get(key).orElseThrow().phase()));
            // An older snapshot of the same cluster (a late re-publish) never moves it backwards.
            publishState(key, uid, 1, 2, "Provisioning");
            long wakesBefore = wakes.stream().filter(key::equals).count();
            publishLifecycle(key, uid, 5);   // news: wakes
            publishLifecycle(key, uid, 5);   // a redelivery: does not
            publishLifecycle(key, uid, 3);   // already reflected by the snapshot: does not
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.stream().filter(key::equals).count() == wakesBefore + 1);
            assertThat(feed.snapshots().get(key).orElseThrow().phase()).isEqualTo("Ready");

            producer.send(new ProducerRecord<>(Topics.CLUSTER_STATE, key, null)).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> feed.snapshots().get(key).isEmpty());
            // Other tests' clusters share the topics; this cluster was woken by the tombstone too.
            assertThat(wakes.stream().filter(key::equals).count()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void deadLettersWhatItCannotParseAndMovesOn() throws Exception {
        String group = newGroup();
        String key = "tenant-acme/feed-b";
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (ClusterFeed feed = ClusterFeed.builder(broker.bootstrapServers(), group).metrics(metrics).build();
             KafkaConsumer<String, byte[]> dlq = consumer("dlq-reader-" + UUID.randomUUID())) {
            dlq.subscribe(List.of(Topics.dlq(Topics.CLUSTER_LIFECYCLE, group)));
            feed.start();
            producer.send(new ProducerRecord<>(Topics.CLUSTER_LIFECYCLE, key, "not an event".getBytes(StandardCharsets.UTF_8))).get();
            publishState(key, UUID.randomUUID().toString(), 1, 1, "Pending");
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.snapshots().get(key).isPresent());

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                dlq.poll(Duration.ofMillis(200)).forEach(dead::add);
                return !dead.isEmpty();
            });
            ConsumerRecord<String, byte[]> record = dead.get(0);
            assertThat(record.key()).isEqualTo(key);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("not an event");
            assertThat(record.headers().lastHeader(DeadLetterHeaders.TOPIC)).isNotNull();
            assertThat(record.headers().lastHeader(DeadLetterHeaders.ERROR)).isNotNull();
            // What an operator's dashboard sees: the dead letter counted against its topic, and the cluster held.
            assertThat(metrics.get(ClusterFeed.RECORDS_METRIC).tags("group", group, "topic", Topics.CLUSTER_LIFECYCLE,
                    "outcome", "dead-lettered").counter().count()).isEqualTo(1);
            assertThat(metrics.get(ClusterFeed.CLUSTERS_METRIC).tags("group", group).gauge().value()).isPositive();
        }
    }

    @Test
    void aRestartedReplicaRebuildsItsViewFromTheCompactedTopic() throws Exception {
        String group = newGroup();
        String key = "tenant-globex/feed-c";
        String uid = UUID.randomUUID().toString();
        publishState(key, uid, 2, 7, "Ready");
        try (ClusterFeed first = ClusterFeed.builder(broker.bootstrapServers(), group).build()) {
            first.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.snapshots().get(key).isPresent());
        }
        // Offsets were committed; a new replica of the same group still knows the cluster.
        try (ClusterFeed second = ClusterFeed.builder(broker.bootstrapServers(), group).build()) {
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> second.snapshots().get(key).isPresent());
            assertThat(second.snapshots().get(key).orElseThrow().generation()).isEqualTo(2);
        }
    }

    @Test
    void twoReplicasSplitTheClustersAndARebalanceHandsThemOver() throws Exception {
        String group = newGroup();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String key = "tenant-acme/shard-" + i;
            keys.add(key);
            publishState(key, UUID.randomUUID().toString(), 1, 1, "Ready");
        }
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        try (ClusterFeed one = ClusterFeed.builder(broker.bootstrapServers(), group).onRevoked(revoked::addAll).build()) {
            one.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream().allMatch(one::owns));
            try (ClusterFeed two = ClusterFeed.builder(broker.bootstrapServers(), group).build()) {
                two.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> keys.stream().allMatch(k -> one.owns(k) ^ two.owns(k))
                        && keys.stream().anyMatch(two::owns));
                // Only what moved was revoked (cooperative rebalancing): the first replica kept working on the rest.
                assertThat(keys.stream().filter(two::owns)).allMatch(revoked::contains);
                assertThat(keys.stream().filter(one::owns)).noneMatch(revoked::contains);
                // The partition of a key is computed as producers place it: each replica holds whole partitions.
                Map<Integer, Set<Boolean>> holders = new HashMap<>();
                keys.forEach(k -> holders.computeIfAbsent(ClusterFeed.partitionOf(k), p -> new HashSet<>()).add(one.owns(k)));
                assertThat(holders.values()).allMatch(held -> held.size() == 1);
                // Who acts for a key it has no snapshot of (a deleted cluster's): the holder of its partition.
                assertThat(keys).allMatch(k -> one.ownsPartitionOf(k) == one.owns(k) && two.ownsPartitionOf(k) == two.owns(k));
                assertThat(List.of("tenant-acme/gone-1", "tenant-globex/gone-2", "tenant-x/gone-3"))
                        .allMatch(k -> one.ownsPartitionOf(k) ^ two.ownsPartitionOf(k));
            }
            // The second replica left: the first takes every cluster back.
            await().atMost(Duration.ofSeconds(60)).until(() -> keys.stream().allMatch(one::owns));
        }
    }

    /** A fresh consumer group with its dead-letter topics (the broker creates no topic by itself). */
    private static String newGroup() throws Exception {
        String group = "nestor-test-" + UUID.randomUUID();
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            admin.createTopics(List.of(
                    new org.apache.kafka.clients.admin.NewTopic(Topics.dlq(Topics.CLUSTER_STATE, group), 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic(Topics.dlq(Topics.CLUSTER_LIFECYCLE, group), 1, (short) 1)))
                    .all().get();
        }
        return group;
    }

    private static void publishState(String key, String uid, long generation, long sequence, String phase) throws Exception {
        String[] parts = key.split("/");
        ClusterStateSnapshot snapshot = new ClusterStateSnapshot(uid, parts[0].substring("tenant-".length()), parts[0],
                parts[1], generation, sequence, phase, false, JsonNodeFactory.instance.objectNode(), List.of(), null,
                null, null);
        NestorEvent<ClusterStateSnapshot> event = NestorEvent.report(EventSources.CLUSTER_SERVICE,
                EventTypes.CLUSTER_STATE, OffsetDateTime.now(), snapshot.tenant(), parts[0], parts[1], uid, snapshot);
        producer.send(CODEC.toRecord(Topics.CLUSTER_STATE, event)).get();
    }

    private static void publishLifecycle(String key, String uid, long sequence) throws Exception {
        String[] parts = key.split("/");
        String tenant = parts[0].substring("tenant-".length());
        ClusterLifecycleData data = new ClusterLifecycleData(tenant, parts[0], parts[1], uid, 1, sequence, "Ready",
                "Scaling", "Converged", null);
        producer.send(CODEC.toRecord(Topics.CLUSTER_LIFECYCLE, NestorEvent.lifecycle(EventTypes.CLUSTER_READY,
                OffsetDateTime.now(), tenant, parts[0], parts[1], uid, sequence, data))).get();
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
