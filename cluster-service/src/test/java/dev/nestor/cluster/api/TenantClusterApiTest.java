package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.LifecycleEvents;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.Topics;
import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.render.Kind;
import dev.nestor.cluster.render.Labels;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The REST API and the reconciler against the sandbox API server and a real broker. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class TenantClusterApiTest {
    static final String BASE = "/api/v1/tenants/{tenant}/clusters";
    KubernetesClient client;

    @BeforeEach
    void connect() {
        client = ApiServerResource.client();
        TestTokens.sendWithEveryRequest(TestTokens.admin()); // an administrator: the tests use both tenants
    }

    @AfterEach
    void disconnect() {
        TestTokens.sendNone();
        client.close();
    }

    @Test
    void theExampleComesUpAndEmitsItsMilestonesInOrder() {
        String uid = given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"alpha\""))
                .when().post(BASE, "acme")
                .then().statusCode(202)
                .header("Location", endsWith("/api/v1/tenants/acme/clusters/alpha"))
                .body("name", equalTo("alpha"), "tenant", equalTo("acme"), "uid", notNullValue(),
                        "generation", equalTo(1), "status.phase", equalTo("Pending"),
                        "spec.controlPlane.serviceType", equalTo("ClusterIP"),
                        "spec.network.podCidr", equalTo("10.243.0.0/16"),
                        "spec.nodeGroups[0].diskSize", equalTo("20Gi"))
                .extract().path("uid");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Upstream.get(client, Kind.CLUSTER, "tenant-acme", "alpha")).isNotNull();
            assertThat(Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, "tenant-acme", "alpha")).isNotNull();
            assertThat(Upstream.list(client, Kind.MACHINE_DEPLOYMENT, "tenant-acme", "alpha")).hasSize(2);
            assertThat(Upstream.list(client, Kind.KUBEVIRT_MACHINE_TEMPLATE, "tenant-acme", "alpha")).hasSize(2);
            assertThat(phase("alpha")).isEqualTo("Provisioning");
        });

        Upstream.controlPlaneAvailable(client, "tenant-acme", "alpha");
        await().atMost(Duration.ofSeconds(30)).until(() -> "ControlPlaneReady".equals(phase("alpha")));
        Upstream.workersReady(client, "tenant-acme", "alpha-md0");
        Upstream.workersReady(client, "tenant-acme", "alpha-big");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get(BASE + "/{name}", "acme", "alpha").then().statusCode(200)
                    .body("status.phase", equalTo("Ready"), "status.nodes", equalTo("3/3"),
                            "status.kubeconfigSecretName", equalTo("alpha-admin-kubeconfig"));
        });
        try (LifecycleEvents events = new LifecycleEvents()) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(events.typesOf(uid))
                    .containsExactly("requested", "provisioning", "control-plane-ready", "ready"));
            assertThat(events.of(uid)).extracting(e -> e.sequence()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(events.of(uid)).extracting(e -> e.id()).doesNotHaveDuplicates();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(tc("alpha").getStatus().pendingEvents).isEmpty());
        try (LifecycleEvents state = new LifecycleEvents(Topics.CLUSTER_STATE)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var records = state.ofKey("tenant-acme/alpha");
                var latest = new CloudEventCodec().parse(records.get(records.size() - 1));
                assertThat(latest.data().path("phase").asText()).isEqualTo("Ready");
                assertThat(latest.data().path("kubeconfigSecretName").asText()).isEqualTo("alpha-admin-kubeconfig");
                assertThat(latest.data().path("sequence").asLong()).isEqualTo(4L);
            });
        }
    }

    @Test
    void anUnknownTenantIsNotFound() {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE).when().post(BASE, "initech")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/tenant-not-found"), "status", equalTo(404));
    }

    @Test
    void aTakenNameIsAConflict() {
        String body = TestCatalog.EXAMPLE.replace("\"demo\"", "\"twice\"");
        given().contentType(ContentType.JSON).body(body).post(BASE, "globex").then().statusCode(202);
        given().contentType(ContentType.JSON).body(body).post(BASE, "globex").then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/cluster-exists"));
    }

    @Test
    void malformedBodiesAreBadRequestsNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"name\":").post(BASE, "acme").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://nestor.dev/problems/malformed-json"));
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"version\"", "\"colour\":\"red\",\"version\""))
                .post(BASE, "acme").then().statusCode(400)
                .body("type", equalTo("https://nestor.dev/problems/unknown-field"), "errors[0].field", equalTo("colour"));
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"minReplicas\":1", "\"minReplicas\":\"one\""))
                .post(BASE, "acme").then().statusCode(400)
                .body("type", equalTo("https://nestor.dev/problems/wrong-type"), "errors[0].field", equalTo("nodeGroups[0].minReplicas"));
        assertThat(client.resources(TenantCluster.class).inNamespace("tenant-acme").withName("demo").get()).isNull();
    }

    @Test
    void anUnknownClusterIsNotFound() {
        given().get(BASE + "/{name}", "acme", "nope").then().statusCode(404)
                .body("type", equalTo("https://nestor.dev/problems/cluster-not-found"));
        given().delete(BASE + "/{name}", "acme", "nope").then().statusCode(404);
    }

    @Test
    void deletionGoesThroughDeletingAndLeavesNothing() {
        String body = TestCatalog.EXAMPLE.replace("\"demo\"", "\"doomed\"");
        String uid = given().contentType(ContentType.JSON).body(body).post(BASE, "globex").then().statusCode(202)
                .extract().path("uid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Upstream.get(client, Kind.CLUSTER, "tenant-globex", "doomed") != null);

        given().delete(BASE + "/{name}", "globex", "doomed").then().statusCode(202).body("status.phase", equalTo("Deleting"));
        given().delete(BASE + "/{name}", "globex", "doomed").then().statusCode(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get(BASE + "/{name}", "globex", "doomed").then().statusCode(404));
        for (Kind kind : Kind.RENDERED) {
            assertThat(Upstream.list(client, kind, "tenant-globex", "doomed")).as(kind.kind()).isEmpty();
        }
        try (LifecycleEvents events = new LifecycleEvents()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(events.typesOf(uid)).startsWith("requested").endsWith("deleting", "deleted"));
        }
        try (LifecycleEvents state = new LifecycleEvents(Topics.CLUSTER_STATE)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var records = state.ofKey("tenant-globex/doomed");
                assertThat(records).as("snapshots, then the tombstone").hasSizeGreaterThan(1);
                assertThat(records.get(records.size() - 1).value()).as("the tombstone").isNull();
                var snapshot = new CloudEventCodec().parse(records.get(records.size() - 2));
                assertThat(snapshot.type()).isEqualTo("dev.nestor.cluster.state");
                assertThat(snapshot.data().path("uid").asText()).isEqualTo(uid);
                assertThat(snapshot.data().path("deleting").asBoolean()).isTrue();
                assertThat(snapshot.data().path("spec").path("nodeGroups")).hasSize(2);
            });
        }
    }

    /**
     * Something outside Nestor holds the CAPI Cluster (a finalizer whose controller is away): past the step
     * deadline ({@code nestor.lifecycle.deletion-step-deadline}, 10 s in these tests) the lifecycle stream says
     * what is stuck, and the deletion moves on instead of hanging, leaving the foreign finalizer alone.
     */
    @Test
    void aStuckDeletionStepIsNamedAndDoesNotHangTheDeletion() {
        String body = TestCatalog.EXAMPLE.replace("\"demo\"", "\"held\"");
        String uid = given().contentType(ContentType.JSON).body(body).post(BASE, "globex").then().statusCode(202)
                .extract().path("uid");
        await().atMost(Duration.ofSeconds(30)).until(() -> Upstream.get(client, Kind.CLUSTER, "tenant-globex", "held") != null);
        var capiCluster = client.genericKubernetesResources(ClusterApi.context(Kind.CLUSTER)).inNamespace("tenant-globex")
                .withName("held");
        capiCluster.edit(r -> {
            r.getMetadata().getFinalizers().add("example.com/held");
            return r;
        });
        try {
            given().delete(BASE + "/{name}", "globex", "held").then().statusCode(202);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    given().get(BASE + "/{name}", "globex", "held").then().statusCode(404));
            try (LifecycleEvents events = new LifecycleEvents()) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var stream = events.of(uid);
                    assertThat(stream).filteredOn(e -> "DeletionBlocked".equals(e.data().path("reason").asText()))
                            .singleElement().satisfies(e -> {
                                assertThat(e.type()).isEqualTo("dev.nestor.cluster.deleting");
                                assertThat(e.data().path("message").asText()).contains("Cluster/held");
                            });
                    assertThat(stream.get(stream.size() - 1).type()).isEqualTo("dev.nestor.cluster.deleted");
                });
            }
            assertThat(capiCluster.get().getMetadata().getFinalizers()).as("not ours to remove").contains("example.com/held");
        } finally {
            capiCluster.edit(r -> {
                r.getMetadata().getFinalizers().remove("example.com/held");
                return r;
            });
        }
    }

    /**
     * A reconcile can apply a cluster's objects and then lose its status write to the deletion
     * itself (409), so the status never says anything was accepted: deletion must still remove
     * what exists rather than trust the status.
     */
    @Test
    void deletionRemovesObjectsTheStatusNeverRecorded() {
        applyWithKubectl("unrecorded", "v1.99", 1, 1);
        GenericKubernetesResource applied = new GenericKubernetesResourceBuilder()
                .withApiVersion(Kind.KUBEVIRT_CLUSTER.apiVersion()).withKind(Kind.KUBEVIRT_CLUSTER.kind())
                .withNewMetadata().withName("unrecorded").withNamespace("tenant-acme")
                .withLabels(Labels.of("unrecorded")).endMetadata().build();
        client.genericKubernetesResources(ClusterApi.context(Kind.KUBEVIRT_CLUSTER))
                .inNamespace("tenant-acme").resource(applied).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> "Failed".equals(phase("unrecorded")));
        assertThat(tc("unrecorded").getStatus().acceptedGeneration).as("nothing recorded as accepted").isNull();

        given().delete(BASE + "/{name}", "acme", "unrecorded").then().statusCode(202);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get(BASE + "/{name}", "acme", "unrecorded").then().statusCode(404));
        assertThat(Upstream.list(client, Kind.KUBEVIRT_CLUSTER, "tenant-acme", "unrecorded")).isEmpty();
    }

    @Test
    void aBadClusterAppliedWithKubectlGetsAConditionAndNoObjects() {
        applyWithKubectl("broken", "v1.99", 3, 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            TenantCluster tc = tc("broken");
            assertThat(tc.getStatus()).isNotNull();
            assertThat(tc.getStatus().phase).isEqualTo("Failed");
            assertThat(tc.getStatus().conditions).filteredOn(c -> c.getType().equals("SpecAccepted")).singleElement()
                    .satisfies(c -> {
                        assertThat(c.getStatus()).isEqualTo("False");
                        assertThat(c.getReason()).isEqualTo("InvalidSpec");
                        assertThat(c.getMessage()).contains("version", "nodeGroups[0].minReplicas");
                    });
        });
        for (Kind kind : Kind.RENDERED) {
            assertThat(Upstream.list(client, kind, "tenant-acme", "broken")).as(kind.kind()).isEmpty();
        }
        given().get(BASE + "/{name}", "acme", "broken").then().statusCode(200).body("status.phase", equalTo("Failed"));
    }

    /** Creates a one-group TenantCluster in tenant-acme as {@code kubectl apply} would, past REST's validation. */
    void applyWithKubectl(String name, String version, int min, int max) {
        client.resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: nestor.dev/v1alpha1
                kind: TenantCluster
                metadata: {name: %s, namespace: tenant-acme}
                spec:
                  version: %s
                  nodeGroups: [{name: md0, instanceType: u1.medium, minReplicas: %d, maxReplicas: %d}]
                """.formatted(name, version, min, max), TenantCluster.class)).create();
    }

    static String phase(String name) {
        return given().get(BASE + "/{name}", "acme", name).then().extract().path("status.phase");
    }

    TenantCluster tc(String name) {
        return client.resources(TenantCluster.class).inNamespace("tenant-acme").withName(name).get();
    }
}
