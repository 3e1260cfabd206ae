package dev.nestor.addon.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.addon.apply.Kinds;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import dev.nestor.support.feed.EventSender;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as deployed, against the sandbox API server and a real broker: it takes the Lease, consumes the state
 * topic, applies a cluster's releases, wakes on their status changes and reports on {@code nestor.addons}.
 */
@QuarkusTest
@TestProfile(AddonControllerTest.Reconciling.class)
@QuarkusTestResource(ApiServerResource.class)
@QuarkusTestResource(KafkaBrokerResource.class)
class AddonControllerTest {
    static final String NS = "tenant-acme";
    static final String NAME = "wired";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The reconciler on (the REST tests run without it). */
    public static class Reconciling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("nestor.reconcile", "true", "nestor.resync", "5s");
        }
    }

    @Test
    void aSnapshotLeadsToReleasesAndFluxStatusToReports() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (KubernetesClient client = ApiServerResource.client(); EventSender sender = new EventSender(bootstrap);
                KafkaConsumer<String, byte[]> reports = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "t-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            reports.subscribe(List.of(Topics.ADDONS));
            GenericKubernetesResource tc = client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS)
                    .resource(JSON.readValue("""
                            {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster","metadata":{"name":"%s","namespace":"%s"},
                             "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","minReplicas":1,"maxReplicas":1}]}}"""
                            .formatted(NAME, NS), GenericKubernetesResource.class)).create();
            client.genericKubernetesResources(Kinds.TENANT_CLUSTER).inNamespace(NS).withName(NAME).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"kubeconfigSecretName\":\"" + NAME
                            + "-admin-kubeconfig\",\"endpoint\":\"https://10.1.2.3:6443\"}}");
            ClusterStateSnapshot snapshot = new ClusterStateSnapshot(tc.getMetadata().getUid(), "acme", NS, NAME, 1, 3,
                    "ControlPlaneReady", false, JSON.readTree("{\"version\":\"v1.33\"}"), List.of(), "https://10.1.2.3:6443",
                    NAME + "-admin-kubeconfig", "v1.33.5");
            sender.send(NestorEvent.report(EventSources.CLUSTER_SERVICE, EventTypes.CLUSTER_STATE, OffsetDateTime.now(),
                    "acme", NS, NAME, snapshot.uid(), snapshot)).get();

            await().atMost(Duration.ofSeconds(60)).until(() -> client.genericKubernetesResources(Kinds.HELM_RELEASE)
                    .inNamespace(NS).withLabel("nestor.dev/cluster", NAME).list().getItems().size() == 4);
            for (GenericKubernetesResource release : client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS)
                    .withLabel("nestor.dev/cluster", NAME).list().getItems()) {
                client.genericKubernetesResources(Kinds.HELM_RELEASE).inNamespace(NS).withName(release.getMetadata().getName())
                        .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), """
                                {"status":{"observedGeneration":%d,"conditions":[{"type":"Ready","status":"True",
                                 "reason":"InstallSucceeded","message":"ok","lastTransitionTime":"2026-11-25T12:00:00Z"}]}}"""
                                .formatted(release.getMetadata().getGeneration()));
            }

            CloudEventCodec codec = new CloudEventCodec();
            List<NestorEvent<JsonNode>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (var r : reports.poll(Duration.ofMillis(200))) {
                    seen.add(codec.parse(r));
                }
                assertThat(seen).anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventTypes.ADDON_INSTALLED);
                    assertThat(e.source()).isEqualTo(EventSources.ADDON_SERVICE);
                    assertThat(e.clusterUid()).isEqualTo(snapshot.uid());
                    assertThat(e.key()).isEqualTo(NS + "/" + NAME);
                    assertThat(e.data().path("addons")).hasSize(4);
                });
            });
            assertThat(client.leases().inNamespace("default").withName("nestor-addon-service").get().getSpec().getHolderIdentity())
                    .isNotBlank();
            // What an operator scrapes: the lease held, reconciles counted per controller, never a series per cluster.
            String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(scrape).contains("nestor_leader{lease=\"nestor-addon-service\"} 1.0")
                    .containsPattern("nestor_reconcile_seconds_count\\{controller=\"addons\",outcome=\"success\"} [1-9]")
                    .doesNotContain(NAME);
        }
    }
}
