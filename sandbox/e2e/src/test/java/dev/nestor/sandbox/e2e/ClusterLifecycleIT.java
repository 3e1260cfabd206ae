package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.events.NestorEvent;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * The whole platform as processes, as a user drives it: the example cluster over REST to Ready,
 * the tenant API reached through its admin.conf, every lifecycle event checked, a crash of
 * cluster-service while the broker is frozen that loses nothing, and a deletion that leaves
 * nothing behind.
 */
class ClusterLifecycleIT {
    static final String EXAMPLE = "{\"name\":\"demo\",\"version\":\"v1.33\",\"controlPlane\":{\"replicas\":2},"
            + "\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":\"u1.medium\",\"minReplicas\":1,\"maxReplicas\":3},"
            + "{\"name\":\"big\",\"resources\":{\"cpu\":\"4\",\"memory\":\"16Gi\"},\"diskSize\":\"50Gi\",\"minReplicas\":2,\"maxReplicas\":2}]}";
    static final String NS = "tenant-acme";
    static final ObjectMapper JSON = new ObjectMapper();
    static Sandbox sandbox;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-state").toAbsolutePath());
        sandbox.start();
        sandbox.restAsTenant("acme"); // every request acts as tenant acme
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox == null) {
            return;
        }
        List<Long> recorded = sandbox.recordedPids();
        sandbox.close();
        assertThat(sandbox.platformAlive()).isFalse();
        for (long pid : recorded) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("process %d outlived the platform", pid).isFalse();
        }
    }

    @Test
    void theExampleLivesAndDiesWithoutLosingAnEvent() throws Exception {
        try (KubernetesClient client = sandbox.client(); LifecycleTopic topic = new LifecycleTopic(sandbox.bootstrapServers())) {
            // Freeze the broker, create the cluster, and crash cluster-service while its first events wait in the outbox.
            sandbox.signalBroker("STOP");
            String uid;
            try {
                uid = given().contentType(ContentType.JSON).body(EXAMPLE).post("/api/v1/tenants/acme/clusters")
                        .then().statusCode(202).body("status.phase", equalTo("Pending")).extract().path("uid");
                await().atMost(Duration.ofSeconds(30)).until(() -> pendingEvents(client) >= 1);
                sandbox.killClusterService();
            } finally {
                sandbox.signalBroker("CONT");
            }
            sandbox.startClusterService();

            await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                    given().get("/api/v1/tenants/acme/clusters/demo").then().statusCode(200)
                            .body("status.phase", equalTo("Ready"), "status.nodes", equalTo("3/3")));

            assertTenantApiAnswers(client);
            assertOnlyAcmeSeesIt();
            assertEveryObjectValidates(client);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topic.typesOf(uid))
                    .containsExactly("requested", "provisioning", "control-plane-ready", "ready"));
            assertEventsAreComplete(topic, uid);

            // Delete: Deleting is visible while the CAPI Cluster still exists, then nothing is left.
            given().delete("/api/v1/tenants/acme/clusters/demo").then().statusCode(202).body("status.phase", equalTo("Deleting"));
            AtomicBoolean deletingWhileCapiClusterExists = new AtomicBoolean();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                var response = given().get("/api/v1/tenants/acme/clusters/demo");
                if (response.statusCode() == 200 && "Deleting".equals(response.path("status.phase"))
                        && capiCluster(client) != null) {
                    deletingWhileCapiClusterExists.set(true);
                }
                return response.statusCode() == 404;
            });
            assertThat(deletingWhileCapiClusterExists).as("phase Deleting while the CAPI Cluster still exists").isTrue();
            assertThat(Inventory.labelled(client, "nestor.dev/cluster", "demo")).extracting(ClusterLifecycleIT::describe).isEmpty();
            assertThat(Inventory.labelled(client, "cluster.x-k8s.io/cluster-name", "demo")).extracting(ClusterLifecycleIT::describe).isEmpty();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topic.typesOf(uid))
                    .containsExactly("requested", "provisioning", "control-plane-ready", "ready", "deleting", "deleted"));
            assertEventsAreComplete(topic, uid);
        }
    }

    /** Another tenant's token finds no such tenant, no token is a 401, an administrator's sees every tenant. */
    static void assertOnlyAcmeSeesIt() throws Exception {
        RequestSpecification asAcme = RestAssured.requestSpecification;
        RestAssured.requestSpecification = null; // these requests bring their own token, or none
        try {
            given().auth().oauth2(sandbox.token("globex")).get("/api/v1/tenants/acme/clusters/demo").then().statusCode(404)
                    .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"));
            given().get("/api/v1/tenants/acme/clusters/demo").then().statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"));
            given().auth().oauth2(sandbox.token("--admin")).get("/api/v1/tenants/acme/clusters/demo")
                    .then().statusCode(200).body("status.phase", equalTo("Ready"));
        } finally {
            RestAssured.requestSpecification = asAcme;
        }
    }

    /** Every ce_* header, ids unique per event (a redelivery is byte-identical), contiguous sequences, valid bodies. */
    static void assertEventsAreComplete(LifecycleTopic topic, String uid) {
        assertEventsAreCompleteFor(topic, uid, NS);
    }

    /** The same checks for a cluster of another namespace. */
    static void assertEventsAreCompleteFor(LifecycleTopic topic, String uid, String namespace) {
        List<ConsumerRecord<String, byte[]>> records = topic.recordsOf(uid);
        Map<String, String> bodyById = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            for (String header : LifecycleTopic.CE_HEADERS) {
                assertThat(r.headers().lastHeader(header)).as(header + " at offset " + r.offset()).isNotNull();
            }
            assertThat(r.key()).startsWith(namespace + "/");
            assertThat(LifecycleTopic.schemaErrors(r)).as("body at offset " + r.offset()).isEmpty();
            NestorEvent<JsonNode> e = topic.parse(r);
            String body = new String(r.value(), StandardCharsets.UTF_8);
            String previous = bodyById.putIfAbsent(e.id(), body);
            assertThat(previous == null || previous.equals(body)).as("a redelivered " + e.id() + " is byte-identical").isTrue();
        }
        List<Long> sequences = new ArrayList<>();
        topic.eventsOf(uid).forEach(e -> sequences.add(e.sequence()));
        for (int i = 0; i < sequences.size(); i++) {
            assertThat(sequences.get(i)).as("sequence without gap").isEqualTo(i + 1L);
        }
    }

    static void assertTenantApiAnswers(KubernetesClient client) {
        Secret secret = client.secrets().inNamespace(NS).withName("demo-admin-kubeconfig").get();
        assertThat(secret).as("the admin kubeconfig Secret").isNotNull();
        String adminConf = new String(Base64.getDecoder().decode(secret.getData().get("admin.conf")), StandardCharsets.UTF_8);
        try (KubernetesClient tenant = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(adminConf)).build()) {
            assertThat(tenant.getKubernetesVersion().getGitVersion()).startsWith("v1.33");
        }
    }

    /** Every object the sandbox holds for the cluster, statuses included, validates against its upstream schema. */
    static void assertEveryObjectValidates(KubernetesClient client) {
        assertEveryObjectValidates(client, "demo");
    }

    /** The same for another cluster. */
    static void assertEveryObjectValidates(KubernetesClient client, String cluster) {
        var upstream = ReactorPaths.upstreamCrds();
        if (upstream.isEmpty()) {
            System.err.println("../shared/crds is absent: upstream schema validation of the sandbox's objects skipped");
            return;
        }
        SchemaValidator validator = SchemaValidator.load(upstream.get());
        List<GenericKubernetesResource> objects = new ArrayList<>(Inventory.labelled(client, "nestor.dev/cluster", cluster));
        objects.addAll(Inventory.labelled(client, "cluster.x-k8s.io/cluster-name", cluster));
        assertThat(objects).extracting(GenericKubernetesResource::getKind)
                .contains("Cluster", "KamajiControlPlane", "KubevirtCluster", "MachineDeployment", "MachineSet", "Machine");
        int checked = 0;
        for (GenericKubernetesResource r : objects) {
            if (!validator.knows(r.getApiVersion(), r.getKind())) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = JSON.convertValue(r, Map.class);
            assertThat(validator.validate(r.getApiVersion(), r.getKind(), object)).as(describe(r)).isEmpty();
            assertThat(validator.prunedFields(r.getApiVersion(), r.getKind(), object)).as(describe(r) + " unknown fields").isEmpty();
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    static int pendingEvents(KubernetesClient client) {
        GenericKubernetesResource tc = client.genericKubernetesResources("nestor.dev/v1alpha1", "TenantCluster")
                .inNamespace(NS).withName("demo").get();
        if (tc == null || !(tc.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
                || !(status.get("pendingEvents") instanceof List<?> pending)) {
            return 0;
        }
        return pending.size();
    }

    static GenericKubernetesResource capiCluster(KubernetesClient client) {
        return client.genericKubernetesResources("cluster.x-k8s.io/v1beta2", "Cluster").inNamespace(NS).withName("demo").get();
    }

    static String describe(GenericKubernetesResource r) {
        return r.getApiVersion() + " " + r.getKind() + " " + r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
