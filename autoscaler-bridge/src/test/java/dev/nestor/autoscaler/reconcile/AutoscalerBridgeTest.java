package dev.nestor.autoscaler.reconcile;

import dev.nestor.sandbox.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventSources;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.ConditionData;
import dev.nestor.sandbox.apiserver.ApiServer;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * autoscaler-bridge against a real sandbox management API, a second API server playing the tenant, and a real
 * broker: an autoscaled cluster gets its autoscaler wired to both sides, scaling is reported, and the autoscaler goes
 * when nothing autoscales any more or the cluster is deleted.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class AutoscalerBridgeTest {
    static final String NS = "tenant-acme";
    static final CloudEventCodec CODEC = new CloudEventCodec();
    static final ObjectMapper JSON = new ObjectMapper();
    static ApiServer tenantApi;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void startTenant() {
        tenantApi = ApiServer.builder().start();
    }

    @AfterAll
    static void stopTenant() {
        if (tenantApi != null) {
            tenantApi.close();
        }
    }

    @Test
    void anAutoscaledClusterGetsItsAutoscalerWhichFollowsTheGroupsAndGoesWithThem() throws Exception {
        String cluster = "as" + UUID.randomUUID().toString().substring(0, 8);
        String key = NS + "/" + cluster;
        try (KubernetesClient management = ApiServerResource.client(); KubernetesClient tenant = tenantApi.newClient();
                KafkaConsumer<String, byte[]> events = consumer()) {
            String uid = createTenantCluster(management, cluster);
            writeAdminKubeconfig(management, cluster);
            management.resource(machineDeployment(cluster, "md0", "1", "3")).serverSideApply();
            publishSnapshot(cluster, uid, false);

            fillToken(tenant);

            Deployment deployment = await().atMost(Duration.ofSeconds(30)).until(() -> management.apps().deployments()
                    .inNamespace(NS).withName(cluster + "-cluster-autoscaler").get(), d -> d != null);
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).contains(
                    "--node-group-auto-discovery=clusterapi:namespace=" + NS + ",clusterName=" + cluster);
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .endsWith(":v1.33.0");
            Secret kubeconfig = management.secrets().inNamespace(NS).withName(cluster + "-cluster-autoscaler-kubeconfig")
                    .get();
            String config = new String(Base64.getDecoder().decode(kubeconfig.getData().get("kubeconfig")),
                    StandardCharsets.UTF_8);
            assertThat(config).contains("tenant-token", tenantApi.url()).doesNotContain("client-certificate");
            assertThat(tenant.rbac().clusterRoles().withName("nestor:cluster-autoscaler").get()).isNotNull();
            assertThat(management.rbac().roles().inNamespace(NS).withName(cluster + "-cluster-autoscaler").get()
                    .getRules()).hasSize(2);

            makeAvailable(management, cluster);
            JsonNode configured = awaitEvent(events, EventTypes.AUTOSCALER_CONFIGURED, cluster, p -> true);
            assertThat(configured.path("state").asText()).isEqualTo("Configured");
            assertThat(configured.path("image").asText()).endsWith(":v1.33.0");
            assertThat(configured.path("nodeGroups").get(0).path("maxReplicas").asInt()).isEqualTo(3);

            management.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "MachineDeployment").inNamespace(NS)
                    .withName(cluster + "-md0").scale(3);
            JsonNode scaled = awaitEvent(events, EventTypes.NODEGROUP_SCALED, cluster, p -> p.path("to").asInt() == 3);
            assertThat(scaled.path("from").asInt()).isEqualTo(1);
            assertThat(scaled.path("nodeGroup").asText()).isEqualTo("md0");

            given().auth().oauth2(TestTokens.tenant("acme"))
                    .get("/api/v1/tenants/acme/clusters/{c}/autoscaling", cluster).then().statusCode(200)
                    .body("autoscaler", equalTo(true))
                    .body("nodeGroups[0].name", equalTo("md0"))
                    .body("nodeGroups[0].minReplicas", equalTo(1))
                    .body("nodeGroups[0].maxReplicas", equalTo(3))
                    .body("nodeGroups[0].desiredReplicas", equalTo(3))
                    .body("events[-1].from", equalTo(1))
                    .body("events[-1].to", equalTo(3))
                    .body("events[-1].direction", equalTo("up"));
            given().auth().oauth2(TestTokens.tenant("globex"))
                    .get("/api/v1/tenants/acme/clusters/{c}/autoscaling", cluster).then().statusCode(404);
            given().auth().oauth2(TestTokens.admin())
                    .get("/api/v1/tenants/acme/clusters/{c}/autoscaling", cluster).then().statusCode(200);
            given().get("/api/v1/tenants/acme/clusters/{c}/autoscaling", cluster).then().statusCode(401);

            // the tenant is upgraded to v1.34: the autoscaler follows its minor and reads v1beta2 itself
            publishSnapshot(cluster, uid, false, "v1.34.1");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var container = management.apps().deployments().inNamespace(NS).withName(cluster + "-cluster-autoscaler")
                        .get().getSpec().getTemplate().getSpec().getContainers().get(0);
                assertThat(container.getImage()).endsWith(":v1.34.0");
                assertThat(container.getEnv()).isNullOrEmpty();
            });

            // the group becomes fixed-size: the autoscaler and its identity go, in both clusters
            management.resource(machineDeployment(cluster, "md0", null, null)).serverSideApply();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(management.apps().deployments().inNamespace(NS).withName(cluster + "-cluster-autoscaler")
                        .get()).isNull();
                assertThat(management.secrets().inNamespace(NS).withLabel("nestor.dev/cluster", cluster).list()
                        .getItems()).isEmpty();
                assertThat(tenant.serviceAccounts().inNamespace("kube-system").withName("nestor-cluster-autoscaler")
                        .get()).isNull();
                assertThat(tenant.rbac().clusterRoles().withName("nestor:cluster-autoscaler").get()).isNull();
            });
            awaitEvent(events, EventTypes.AUTOSCALER_REMOVED, cluster, p -> p.path("state").asText().equals("NotRequired"));

            // autoscaled again, then the cluster is deleted: nothing of it is left
            management.resource(machineDeployment(cluster, "md0", "1", "3")).serverSideApply();
            fillToken(tenant);
            await().atMost(Duration.ofSeconds(30)).until(() -> management.apps().deployments().inNamespace(NS)
                    .withName(cluster + "-cluster-autoscaler").get() != null);
            management.genericKubernetesResources("nestor.dev/v1alpha1", "TenantCluster").inNamespace(NS)
                    .withName(cluster).delete();
            publishSnapshot(cluster, uid, true);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String kind : List.of("deployments", "secrets", "roles", "rolebindings", "serviceaccounts")) {
                    assertThat(management.genericKubernetesResources(kindContext(kind)).inNamespace(NS)
                            .withLabel("nestor.dev/cluster", cluster).list().getItems()).as(kind).isEmpty();
                }
            });
            awaitEvent(events, EventTypes.AUTOSCALER_REMOVED, cluster, p -> p.path("state").asText().equals("Removed"));
        }
    }

    /** Plays the tenant's token controller: fills the autoscaler's token once its Secret appears. */
    private static void fillToken(KubernetesClient tenant) {
        await().atMost(Duration.ofSeconds(30)).until(() -> tenant.secrets().inNamespace("kube-system")
                .withName("nestor-cluster-autoscaler-token").get() != null);
        tenant.secrets().inNamespace("kube-system").withName("nestor-cluster-autoscaler-token")
                .edit(s -> new SecretBuilder(s).addToData("token", b64("tenant-token")).build());
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kindContext(String plural) {
        return switch (plural) {
            case "deployments" -> dev.nestor.autoscaler.apply.Kinds.DEPLOYMENT;
            case "secrets" -> dev.nestor.autoscaler.apply.Kinds.SECRET;
            case "roles" -> dev.nestor.autoscaler.apply.Kinds.ROLE;
            case "rolebindings" -> dev.nestor.autoscaler.apply.Kinds.ROLE_BINDING;
            default -> dev.nestor.autoscaler.apply.Kinds.SERVICE_ACCOUNT;
        };
    }

    private static String createTenantCluster(KubernetesClient management, String cluster) {
        GenericKubernetesResource tc = Serialization.unmarshal("""
                {"apiVersion":"nestor.dev/v1alpha1","kind":"TenantCluster",
                 "metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"version":"v1.33","nodeGroups":[{"name":"md0","instanceType":"u1.medium","minReplicas":1,"maxReplicas":3}]}}
                """.formatted(cluster, NS), GenericKubernetesResource.class);
        return management.resource(tc).create().getMetadata().getUid();
    }

    private static void writeAdminKubeconfig(KubernetesClient management, String cluster) throws Exception {
        Path file = Files.createTempFile("tenant", ".kubeconfig");
        try {
            String kubeconfig = Files.readString(tenantApi.writeKubeconfig(file));
            management.resource(new SecretBuilder().withNewMetadata().withName(cluster + "-admin-kubeconfig")
                    .withNamespace(NS).endMetadata().addToData("super-admin.svc", b64(kubeconfig)).build()).create();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static GenericKubernetesResource machineDeployment(String cluster, String group, String min, String max) {
        String annotations = min == null ? "{}" : """
                {"cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size":"%s",
                 "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size":"%s"}""".formatted(min, max);
        String md = cluster + "-" + group;
        return Serialization.unmarshal("""
                {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineDeployment",
                 "metadata":{"name":"%s","namespace":"%s","annotations":%s,
                   "labels":{"nestor.dev/cluster":"%s","nestor.dev/node-group":"%s"}},
                 "spec":{"clusterName":"%s",
                   "selector":{"matchLabels":{"cluster.x-k8s.io/cluster-name":"%s","cluster.x-k8s.io/deployment-name":"%s"}},
                   "template":{"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"%s","cluster.x-k8s.io/deployment-name":"%s"}},
                     "spec":{"clusterName":"%s","version":"v1.33.5",
                       "bootstrap":{"configRef":{"apiGroup":"bootstrap.cluster.x-k8s.io","kind":"KubeadmConfigTemplate","name":"%s"}},
                       "infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"KubevirtMachineTemplate","name":"%s"}}}}}
                """.formatted(md, NS, annotations, cluster, group, cluster, cluster, md, cluster, md, cluster, md, md),
                GenericKubernetesResource.class);
    }

    private void publishSnapshot(String cluster, String uid, boolean deleting) throws Exception {
        publishSnapshot(cluster, uid, deleting, "v1.33.5");
    }

    private void publishSnapshot(String cluster, String uid, boolean deleting, String version) throws Exception {
        JsonNode spec = JSON.readTree("{\"version\":\"" + version.substring(0, version.lastIndexOf('.'))
                + "\",\"autoscaling\":{\"scaleDownUnneededTime\":\"2m\"}}");
        ClusterStateSnapshot snapshot = new ClusterStateSnapshot(uid, "acme", NS, cluster, 1, deleting ? 6 : 5,
                deleting ? "Deleting" : "Ready", deleting, spec,
                List.of(new ConditionData("ControlPlaneReady", "True", "ControlPlaneAvailable", "", 1L,
                        OffsetDateTime.now().toString())),
                "https://" + cluster + ".example:6443", cluster + "-admin-kubeconfig", version);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(CODEC.toRecord(Topics.CLUSTER_STATE, NestorEvent.report(EventSources.CLUSTER_SERVICE,
                    EventTypes.CLUSTER_STATE, OffsetDateTime.now(), "acme", NS, cluster, uid, snapshot))).get();
        }
    }

    /** Plays the Deployment controller and kubelet: the autoscaler pod runs. */
    private static void makeAvailable(KubernetesClient management, String cluster) {
        management.apps().deployments().inNamespace(NS).withName(cluster + "-cluster-autoscaler").editStatus(d -> {
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                    .withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withReadyReplicas(1)
                    .withAvailableReplicas(1).withUpdatedReplicas(1)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").build()).build());
            return d;
        });
    }

    private KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.AUTOSCALING));
        return consumer;
    }

    private static JsonNode awaitEvent(KafkaConsumer<String, byte[]> consumer, String type, String cluster,
            java.util.function.Predicate<JsonNode> payload) {
        List<JsonNode> seen = new ArrayList<>();
        return await().atMost(Duration.ofSeconds(40)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                String ceType = new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8);
                JsonNode body = JSON.readTree(r.value());
                if (ceType.equals(type) && body.path("cluster").asText().equals(cluster) && payload.test(body)) {
                    seen.add(body);
                }
            }
            return seen.isEmpty() ? null : seen.get(0);
        }, n -> n != null);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
