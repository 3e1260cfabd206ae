package dev.nestor.autoscaler.api;

import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.AutoscalerStateReport;
import dev.nestor.events.payload.NodeGroupScaled;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The world a second autoscaler-bridge replica starts into: the sandbox API server and a real broker, where another
 * replica ({@value #LEADER}) holds the Lease and has already published the scaling history of a cluster on
 * {@code nestor.autoscaling} (with the duplicates, foreign records and stale events a real topic holds). Starting the
 * broker and the API server itself, it needs no ordering among test resources.
 */
public class EarlierReplica implements QuarkusTestResourceLifecycleManager {
    static final String LEADER = "replica-a";
    static final String NS = "tenant-acme";
    static final String CLUSTER = "hist" + UUID.randomUUID().toString().substring(0, 8);
    static final CloudEventCodec CODEC = new CloudEventCodec();

    static volatile String bootstrap;
    static volatile String uid;

    private final KafkaBrokerResource kafka = new KafkaBrokerResource();
    private final ApiServerResource api = new ApiServerResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(kafka.start());
        config.putAll(api.start());
        bootstrap = config.get("kafka.bootstrap.servers");
        try (KubernetesClient client = ApiServerResource.client()) {
            // held for an hour by the other replica: the bridge under test never leads, never watches a group
            client.resource(new LeaseBuilder().withNewMetadata().withName("nestor-autoscaler-bridge")
                    .withNamespace("default").endMetadata().withNewSpec().withHolderIdentity(LEADER)
                    .withLeaseDurationSeconds(3600).withAcquireTime(ZonedDateTime.now())
                    .withRenewTime(ZonedDateTime.now()).withLeaseTransitions(0).endSpec().build()).create();
            uid = client.resource(Serialization.unmarshal("""
                    {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster",
                     "metadata":{"name":"%s","namespace":"%s"},
                     "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","instanceType":"u1.medium","minReplicas":1,"maxReplicas":3}]}}
                    """.formatted(CLUSTER, NS), GenericKubernetesResource.class)).create().getMetadata().getUid();
        }
        OffsetDateTime now = OffsetDateTime.now();
        NestorEvent<NodeGroupScaled> second = scaled(uid, now.minusMinutes(5), 2, 3);
        publish(List.of(
                // before the window (24 h): not part of the history any more
                withTimestamp(CODEC.toRecord(scaled(uid, now.minusHours(48), 3, 1)), now.minusHours(48)),
                CODEC.toRecord(scaled(uid, now.minusMinutes(10), 1, 2)),
                CODEC.toRecord(second),
                // the leader sent it again (at-least-once)
                CODEC.toRecord(second),
                new ProducerRecord<>(Topics.AUTOSCALING, NestorEvent.key(NS, CLUSTER),
                        "not an event".getBytes(StandardCharsets.UTF_8)),
                CODEC.toRecord(NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.AUTOSCALER_CONFIGURED,
                        now.minusMinutes(4), "acme", NS, CLUSTER, uid, new AutoscalerStateReport(uid, "acme", NS,
                                CLUSTER, AutoscalerStateReport.State.Configured, "available", "image:v1.33.0",
                                List.of()))),
                // an earlier cluster under the same name
                CODEC.toRecord(scaled("earlier-" + uid, now.minusMinutes(3), 1, 3)),
                CODEC.toRecord(scaled(uid, now.minusMinutes(1), 3, 2))));
        return config;
    }

    @Override
    public void stop() {
        api.stop();
        kafka.stop();
    }

    /** A {@code nodegroup.scaled} of group md0 as the leading replica publishes it. */
    static NestorEvent<NodeGroupScaled> scaled(String clusterUid, OffsetDateTime time, int from, int to) {
        return NestorEvent.report(EventSources.AUTOSCALER_BRIDGE, EventTypes.NODEGROUP_SCALED, time, "acme", NS,
                CLUSTER, clusterUid, new NodeGroupScaled(clusterUid, NS, CLUSTER, "md0", from, to));
    }

    static void publish(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to the test broker", e);
        }
    }

    private static ProducerRecord<String, byte[]> withTimestamp(ProducerRecord<String, byte[]> record,
            OffsetDateTime time) {
        return new ProducerRecord<>(record.topic(), null, time.toInstant().toEpochMilli(), record.key(),
                record.value(), record.headers());
    }
}
