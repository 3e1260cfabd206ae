package dev.nestor.sandbox.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.TopicInstaller;
import dev.nestor.events.TopicSpec;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterLifecycleData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaBrokerTest {

    private static Path dataDir;
    private static KafkaBroker broker;
    private static List<String> created;
    private final CloudEventCodec codec = new CloudEventCodec();

    @BeforeAll
    static void startBroker() throws Exception {
        QuietKafkaLogs.apply();
        dataDir = Files.createTempDirectory(Path.of("target"), "kafka-test-");
        broker = KafkaBroker.start(0, dataDir);
        created = broker.ensureTopics();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
        KafkaBrokerResource.deleteRecursively(dataDir);
    }

    @Test
    @Order(1)
    void createsEveryTopicOfTheSpecificationOnce() throws Exception {
        assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.all().stream().map(TopicSpec::name).toList());
        assertThat(broker.ensureTopics()).isEmpty();

        try (Admin admin = broker.admin()) {
            Map<String, TopicDescription> topics = admin.describeTopics(created).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(12));
            ConfigResource state = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CLUSTER_STATE);
            assertThat(admin.describeConfigs(List.of(state)).all().get().get(state).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
    }

    @Test
    @Order(2)
    void carriesAnEventFromProducerToConsumer() throws Exception {
        ClusterLifecycleData data = new ClusterLifecycleData("acme", "tenant-acme", "prod", "uid-1", 1, 1,
                "Pending", null, null, null);
        NestorEvent<ClusterLifecycleData> event = NestorEvent.lifecycle(EventTypes.CLUSTER_REQUESTED,
                OffsetDateTime.now(), "acme", "tenant-acme", "prod", "uid-1", 1, data);

        try (KafkaProducer<String, byte[]> producer = producer(Map.of())) {
            producer.send(codec.toRecord(event)).get(30, TimeUnit.SECONDS);
        }

        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.CLUSTER_LIFECYCLE));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertThat(received).hasSize(1);
        NestorEvent<JsonNode> parsed = codec.parse(received.get(0));
        assertThat(parsed.withData(data)).isEqualTo(event);
        assertThat(codec.data(parsed, ClusterLifecycleData.class)).isEqualTo(data);
    }

    @Test
    @Order(3)
    void doesNotCreateTopicsOnDemand() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1500))) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("nestor.typo", "k", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                    .hasMessageContaining("Topic nestor.typo not present in metadata")
                    .hasRootCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
        try (Admin admin = broker.admin()) {
            assertThat(admin.listTopics().names().get()).doesNotContain("nestor.typo");
        }
    }

    @Test
    @Order(4)
    void refusesAnExistingTopicWithTheWrongPartitionCount() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("nestor.narrow", 3, (short) 1))).all().get();
            TopicSpec wanted = new TopicSpec("nestor.narrow", 12, (short) 1, Map.of());

            assertThatThrownBy(() -> TopicInstaller.ensure(admin, List.of(wanted), (short) 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("topic nestor.narrow has 3 partitions, Nestor needs exactly 12");
        }
    }

    @Test
    @Order(5)
    void pausedBrokerDoesNotAnswerUntilResumed() throws Exception {
        try (Admin admin = broker.admin()) {
            broker.pause();
            try {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(1, TimeUnit.SECONDS))
                        .isInstanceOf(TimeoutException.class);
            } finally {
                broker.resume();
            }
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    @Order(6)
    void testResourceReusesTheBrokerNamedInTheEnvironment() {
        KafkaBrokerResource resource = new KafkaBrokerResource(
                Map.of(KafkaBrokerResource.BOOTSTRAP_ENV, broker.bootstrapServers()));

        Map<String, String> config = resource.start();
        resource.stop();

        assertThat(resource.broker()).isNull();
        assertThat(config).containsEntry("kafka.bootstrap.servers", broker.bootstrapServers())
                .containsEntry("mp.messaging.connector.smallrye-kafka.bootstrap.servers", broker.bootstrapServers());
        assertThat(ProcessHandle.of(broker.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    }

    @Test
    @Order(7)
    void restartOnTheSameDataKeepsTopicsAndCloseLeavesNoProcess() throws Exception {
        long firstPid = broker.pid();
        broker.close();
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        broker = KafkaBroker.start(0, dataDir);

        assertThat(broker.ensureTopics()).isEmpty();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<String> topics = new ArrayList<>(consumer.listTopics().keySet());
            assertThat(topics).contains(Topics.CLUSTER_LIFECYCLE, Topics.CLUSTER_STATE);
        }
        long secondPid = broker.pid();
        broker.close();
        assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();
    }

    private static KafkaProducer<String, byte[]> producer(Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
