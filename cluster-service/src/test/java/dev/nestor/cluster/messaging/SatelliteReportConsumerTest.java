package dev.nestor.cluster.messaging;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.LifecycleEvents;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.render.Kind;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.DeadLetterHeaders;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.AddonState;
import dev.nestor.events.payload.AddonStateReport;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.BridgeComponentState;
import dev.nestor.events.payload.BridgeStateReport;
import dev.nestor.events.payload.NodeGroupBounds;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The satellites' state reports, produced as the satellites produce them, drive the TenantCluster's
 * satellite conditions and its add-on list; garbage goes to the dead-letter topic and the next good
 * report is still processed. (With {@code require-addons} off, as in every test of this module,
 * AddonsReady stays NotRequired; how the switch gates Ready is in {@code SatelliteConditionsTest}.)
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class SatelliteReportConsumerTest {
    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        TestTokens.sendWithEveryRequest(TestTokens.tenant("acme"));
    }

    @org.junit.jupiter.api.AfterEach
    void forget() {
        TestTokens.sendNone();
    }

    static final String NAME = "reported";
    static final String NS = "tenant-acme";
    static final String KEY = NS + "/" + NAME;
    static final Duration WAIT = Duration.ofSeconds(30);

    final CloudEventCodec codec = new CloudEventCodec();
    KubernetesClient client;
    KafkaProducer<String, byte[]> producer;
    String bootstrap;

    @BeforeEach
    void connect() {
        client = ApiServerResource.client();
        bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void disconnect() {
        producer.close();
        client.close();
    }

    @Test
    void reportsDriveTheConditionsAndGarbageIsDeadLettered() throws Exception {
        String uid = given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + NAME + "\""))
                .post("/api/v1/tenants/{tenant}/clusters", "acme").then().statusCode(202).extract().path("uid");
        await().atMost(WAIT).until(() -> Upstream.list(client, Kind.MACHINE_DEPLOYMENT, NS, NAME).size() == 2);
        Upstream.controlPlaneAvailable(client, NS, NAME);
        Upstream.workersReady(client, NS, NAME + "-md0");
        Upstream.workersReady(client, NS, NAME + "-big");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(tc().getStatus().phase).as("the satellites never hold Ready back").isEqualTo("Ready");
            assertCondition("AddonsReady", "True", "NotRequired");
            assertCondition("AutoscalerReady", "Unknown", "NoReport"); // md0 autoscales (1..3)
            assertCondition("StorageBridgeReady", "Unknown", "NoReport");
            assertCondition("LoadBalancerBridgeReady", "Unknown", "NoReport");
            assertThat(tc().getStatus().addons).isEmpty();
        });

        // Garbage first, then a good report under the same key, so on the same partition, after it.
        producer.send(new ProducerRecord<>(Topics.ADDONS, KEY, "not an event".getBytes(StandardCharsets.UTF_8))).get();
        send(addons(uid, EventTypes.ADDON_INSTALLING, AddonState.State.Installing, null));
        await().atMost(WAIT).untilAsserted(() -> assertThat(tc().getStatus().addons)
                .extracting(a -> a.name, a -> a.state).containsExactly(tuple("cilium", "Installing")));
        try (LifecycleEvents dlq = new LifecycleEvents(Topics.dlq(Topics.ADDONS, ConsumerGroups.CLUSTER_SERVICE))) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(dlq.ofKey(KEY)).singleElement().satisfies(r -> {
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("not an event");
                assertThat(header(r, DeadLetterHeaders.ERROR)).contains("missing header");
                assertThat(header(r, DeadLetterHeaders.TOPIC)).isEqualTo(Topics.ADDONS);
                assertThat(header(r, DeadLetterHeaders.OFFSET)).isNotBlank();
            }));
        }

        send(addons(uid, EventTypes.ADDON_INSTALLED, AddonState.State.Installed, "bucket missing"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(tc().getStatus().addons)
                .extracting(a -> a.name, a -> a.state, a -> a.version, a -> a.message)
                .containsExactly(tuple("cilium", "Installed", "1.16.5", null),
                        tuple("velero", "Failed", "8.0.0", "bucket missing")));
        assertCondition("AddonsReady", "True", "NotRequired");

        send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_CONFIGURED, OffsetDateTime.now(),
                "acme", NS, NAME, uid, autoscaler(uid, AutoscalerStateReport.State.Configured, null)));
        send(NestorEvent.report(EventSources.CSI_BRIDGE, EventTypes.BRIDGE_CONNECTED, OffsetDateTime.now(), "acme", NS,
                NAME, uid, new BridgeStateReport(uid, "acme", NS, NAME, true,
                        new BridgeComponentState(BridgeComponentState.State.Ready, null),
                        new BridgeComponentState(BridgeComponentState.State.Failed, "address pool exhausted"),
                        new BridgeComponentState(BridgeComponentState.State.Ready, null))));
        await().atMost(WAIT).untilAsserted(() -> {
            assertCondition("AutoscalerReady", "True", "Configured");
            assertCondition("StorageBridgeReady", "True", "BridgeReady");
            assertCondition("LoadBalancerBridgeReady", "False", "BridgeFailed");
            assertThat(condition("LoadBalancerBridgeReady").getMessage()).isEqualTo("address pool exhausted");
            assertThat(condition("LoadBalancerBridgeReady").getObservedGeneration()).isEqualTo(1L);
        });

        // An older report and one about another uid under the same name change nothing.
        send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_FAILED,
                OffsetDateTime.now().minusHours(1), "acme", NS, NAME, uid,
                autoscaler(uid, AutoscalerStateReport.State.Failed, "stale")));
        String other = "00000000-0000-0000-0000-0000000000aa";
        RecordMetadata last = send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_FAILED,
                OffsetDateTime.now(), "acme", NS, NAME, other,
                autoscaler(other, AutoscalerStateReport.State.Failed, "another cluster")));
        await().atMost(WAIT).until(() -> committed(last) > last.offset());
        assertCondition("AutoscalerReady", "True", "Configured");

        // A newer report of trouble turns the condition, with the satellite's message.
        send(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_FAILED, OffsetDateTime.now(),
                "acme", NS, NAME, uid, autoscaler(uid, AutoscalerStateReport.State.Failed, "image pull back-off")));
        await().atMost(WAIT).untilAsserted(() -> {
            assertCondition("AutoscalerReady", "False", "AutoscalerFailed");
            assertThat(condition("AutoscalerReady").getMessage()).isEqualTo("image pull back-off");
        });
        assertThat(tc().getStatus().phase).isEqualTo("Ready");
    }

    static NestorEvent<AddonStateReport> addons(String uid, String type, AddonState.State cilium, String veleroFailure) {
        List<AddonState> addons = veleroFailure == null
                ? List.of(new AddonState("cilium", cilium, "1.16.5", null, true))
                : List.of(new AddonState("cilium", cilium, "1.16.5", null, true),
                        new AddonState("velero", AddonState.State.Failed, "8.0.0", veleroFailure, false));
        return NestorEvent.report(EventSources.ADDON_SERVICE, type, OffsetDateTime.now(), "acme", NS, NAME, uid,
                new AddonStateReport(uid, "acme", NS, NAME, 1, addons));
    }

    static AutoscalerStateReport autoscaler(String uid, AutoscalerStateReport.State state, String message) {
        return new AutoscalerStateReport(uid, "acme", NS, NAME, state, message, "registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.0",
                List.of(new NodeGroupBounds("md0", 1, 3, 1)));
    }

    RecordMetadata send(NestorEvent<?> event) throws Exception {
        return producer.send(codec.toRecord(event)).get();
    }

    /** The offset the service's consumer group committed on the record's partition (next to read). */
    long committed(RecordMetadata record) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(ConsumerGroups.CLUSTER_SERVICE)
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }

    TenantCluster tc() {
        return client.resources(TenantCluster.class).inNamespace(NS).withName(NAME).get();
    }

    Condition condition(String type) {
        return tc().getStatus().conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type));
    }

    void assertCondition(String type, String status, String reason) {
        Condition c = condition(type);
        assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
        assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
