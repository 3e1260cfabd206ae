package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.events.Topics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Autoscaling on the sandbox, as a new user sees it: pending pods in the example cluster's tenant API scale md0 to
 * its max (Scaling, then Ready, told by nodegroup.scaled events) and back to its min once they are gone; a
 * fixed-size cluster gets no autoscaler until a group autoscales; deleting a cluster leaves none of its autoscaler
 * objects; the autoscaler's Role grants only the listed verbs in the tenant namespace.
 */
class AutoscalingIT {
    static final String NS = "tenant-acme";
    static final String CLUSTERS = "/api/v1/tenants/acme/clusters";
    static final String BRIDGE = "http://127.0.0.1:8082";
    static final ObjectMapper JSON = new ObjectMapper();
    static Sandbox sandbox;
    static String token;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-autoscaling").toAbsolutePath());
        // The sandbox adds a machine in about 5 s; with cluster-service's default 30 s debounce (DESIGN §5.1) an
        // autoscaler resize that quick never shows as Scaling. Real VMs take longer; here the debounce is shortened.
        sandbox.clusterServiceEnv.put("NESTOR_LIFECYCLE_AUTOSCALER_DEBOUNCE", "2s");
        sandbox.start();
        token = sandbox.restAsTenant("acme");
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void pendingPodsScaleTheExampleToItsMaxAndBackToItsMin() throws Exception {
        try (KubernetesClient management = sandbox.client(); LifecycleTopic lifecycle = new LifecycleTopic(
                sandbox.bootstrapServers()); AutoscalingTopic autoscaling = new AutoscalingTopic(sandbox.bootstrapServers())) {
            String uid = given().contentType(ContentType.JSON).body(ClusterLifecycleIT.EXAMPLE).post(CLUSTERS).then()
                    .statusCode(202).extract().path("uid");
            awaitPhase("demo", "Ready", "3/3");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(autoscaling.states("demo"))
                    .contains("Configured"));
            assertTheRoleGrantsOnlyTheListedVerbsInTheTenantNamespace(management, "demo");

            try (KubernetesClient tenant = tenantClient(management, "demo")) {
                for (int i = 0; i < 30; i++) {
                    tenant.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata()
                            .withName("load-" + i).endMetadata().withNewSpec().addNewContainer().withName("app")
                            .withImage("nginx").endContainer().endSpec().build()).create();
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(replicas(management, "demo-md0"))
                        .isEqualTo(3));
                awaitPhase("demo", "Ready", "5/5");
                List<String> afterScaleUp = lifecycle.typesOf(uid);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(autoscaling.scaled("demo"))
                        .isNotEmpty().last().satisfies(e -> {
                            assertThat(e.path("nodeGroup").asText()).isEqualTo("md0");
                            assertThat(e.path("to").asInt()).isEqualTo(3);
                        }));
                assertThat(autoscaling.scaled("demo").get(0).path("from").asInt()).isEqualTo(1);
                given().baseUri(BRIDGE).get(CLUSTERS + "/demo/autoscaling").then().statusCode(200)
                        .body("autoscaler", equalTo(true))
                        .body("nodeGroups.find { it.name == 'md0' }.maxReplicas", equalTo(3))
                        .body("nodeGroups.find { it.name == 'md0' }.desiredReplicas", equalTo(3))
                        .body("events[-1].direction", equalTo("up"));

                tenant.pods().inNamespace("default").delete();
                await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(replicas(management, "demo-md0"))
                        .isEqualTo(1));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(autoscaling.scaled("demo"))
                        .last().satisfies(e -> assertThat(e.path("to").asInt()).isEqualTo(1)));
                awaitPhase("demo", "Ready", "3/3");
                // last, so that everything above is checked even when this fails: the resize was a Scaling phase
                assertThat(afterScaleUp).as("lifecycle after the scale-up").containsSubsequence("ready", "scaling",
                        "ready");
            }
            given().delete(CLUSTERS + "/demo").then().statusCode(202);
            awaitGone(management, "demo");
        }
    }

    @Test
    void aFixedSizeClusterGetsAnAutoscalerOnlyOnceAGroupAutoscalesAndDeletionLeavesNothing() throws Exception {
        try (KubernetesClient management = sandbox.client();
                AutoscalingTopic autoscaling = new AutoscalingTopic(sandbox.bootstrapServers())) {
            given().contentType(ContentType.JSON).body("{\"name\":\"fixed\",\"version\":\"v1.32\",\"nodeGroups\":["
                    + "{\"name\":\"md0\",\"instanceType\":\"u1.small\",\"minReplicas\":2,\"maxReplicas\":2}]}")
                    .post(CLUSTERS).then().statusCode(202);
            awaitPhase("fixed", "Ready", "2/2");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(autoscaling.states("fixed"))
                    .contains("NotRequired"));
            assertThat(management.apps().deployments().inNamespace(NS).withName("fixed-cluster-autoscaler").get())
                    .isNull();

            given().contentType("application/merge-patch+json").body("{\"nodeGroups\":[{\"name\":\"md0\","
                    + "\"instanceType\":\"u1.small\",\"minReplicas\":1,\"maxReplicas\":4}]}")
                    .patch(CLUSTERS + "/fixed").then().statusCode(200);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(autoscaling.states("fixed"))
                    .contains("Configured"));
            var deployment = management.apps().deployments().inNamespace(NS).withName("fixed-cluster-autoscaler").get();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .endsWith(":v1.32.1");
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("CAPI_VERSION=v1beta1"));

            given().delete(CLUSTERS + "/fixed").then().statusCode(202);
            awaitGone(management, "fixed");
            for (String plural : List.of("deployments", "secrets", "roles", "rolebindings", "serviceaccounts")) {
                assertThat(management.genericKubernetesResources(context(plural)).inNamespace(NS)
                        .withLabel("nestor.dev/cluster", "fixed").list().getItems()).as(plural).isEmpty();
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(autoscaling.states("fixed"))
                    .contains("Removed"));
        }
    }

    /** Reference §5.5: exactly these resources and verbs, in a namespaced Role bound only in the tenant namespace. */
    static void assertTheRoleGrantsOnlyTheListedVerbsInTheTenantNamespace(KubernetesClient management, String cluster) {
        Role role = management.rbac().roles().inNamespace(NS).withName(cluster + "-cluster-autoscaler").get();
        assertThat(role.getRules()).extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getVerbs,
                PolicyRule::getResourceNames).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("cluster.x-k8s.io"), List.of("machinedeployments",
                        "machinedeployments/scale", "machines", "machinesets", "machinepools"),
                        List.of("get", "list", "update", "watch", "patch"), List.of()),
                org.assertj.core.groups.Tuple.tuple(List.of("infrastructure.cluster.x-k8s.io"),
                        List.of("kubevirtmachinetemplates"), List.of("get", "list", "watch"), List.of()));
        RoleBinding binding = management.rbac().roleBindings().inNamespace(NS).withName(cluster + "-cluster-autoscaler")
                .get();
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NS));
        assertThat(management.rbac().clusterRoles().withLabel("app.kubernetes.io/managed-by",
                "nestor-autoscaler-bridge").list().getItems()).as("no cluster-wide grant").isEmpty();
        assertThat(management.rbac().clusterRoleBindings().withLabel("app.kubernetes.io/managed-by",
                "nestor-autoscaler-bridge").list().getItems()).as("no cluster-wide binding").isEmpty();
        assertThat(management.rbac().roleBindings().inAnyNamespace().withLabel("nestor.dev/cluster", cluster).list()
                .getItems()).allSatisfy(b -> assertThat(b.getMetadata().getNamespace()).isEqualTo(NS));
    }

    static void awaitPhase(String cluster, String phase, String nodes) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().get(CLUSTERS + "/" + cluster).then().statusCode(200)
                        .body("status.phase", equalTo(phase), "status.nodes", equalTo(nodes)));
    }

    static void awaitGone(KubernetesClient management, String cluster) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().get(CLUSTERS + "/" + cluster).then().statusCode(404));
    }

    static int replicas(KubernetesClient management, String md) {
        GenericKubernetesResource object = management.genericKubernetesResources("cluster.x-k8s.io/v1beta2",
                "MachineDeployment").inNamespace(NS).withName(md).get();
        return ((Number) ((Map<?, ?>) object.getAdditionalProperties().get("spec")).get("replicas")).intValue();
    }

    /** A client of the tenant API through the cluster's admin kubeconfig, as a tenant's kubectl would. */
    static KubernetesClient tenantClient(KubernetesClient management, String cluster) {
        String kubeconfig = new String(Base64.getDecoder().decode(management.secrets().inNamespace(NS)
                .withName(cluster + "-admin-kubeconfig").get().getData().get("super-admin.conf")), StandardCharsets.UTF_8);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
    }

    static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context(String plural) {
        return switch (plural) {
            case "deployments" -> ctx("apps", "Deployment", plural);
            case "roles" -> ctx("rbac.authorization.k8s.io", "Role", plural);
            case "rolebindings" -> ctx("rbac.authorization.k8s.io", "RoleBinding", plural);
            case "secrets" -> ctx("", "Secret", plural);
            default -> ctx("", "ServiceAccount", plural);
        };
    }

    private static io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext ctx(String group, String kind,
            String plural) {
        return new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(group)
                .withVersion("v1").withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    /** The nestor.autoscaling topic from the beginning, as an integrator reads it. */
    static final class AutoscalingTopic implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<JsonNode> events = new ArrayList<>();

        AutoscalingTopic(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                    new ByteArrayDeserializer());
            consumer.subscribe(List.of(Topics.AUTOSCALING));
        }

        private List<JsonNode> read(String cluster) throws Exception {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                JsonNode body = JSON.readTree(r.value());
                ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_type",
                        new String(r.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8));
                events.add(body);
            }
            return events.stream().filter(e -> cluster.equals(e.path("cluster").asText())).toList();
        }

        /** The states the cluster's reports said, distinct, in order. */
        Set<String> states(String cluster) throws Exception {
            Set<String> states = new LinkedHashSet<>();
            read(cluster).stream().filter(e -> e.has("state")).forEach(e -> states.add(e.path("state").asText()));
            return states;
        }

        /** The cluster's nodegroup.scaled payloads, in order. */
        List<JsonNode> scaled(String cluster) throws Exception {
            return read(cluster).stream().filter(e -> e.path("_type").asText().equals("dev.nestor.nodegroup.scaled"))
                    .toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
