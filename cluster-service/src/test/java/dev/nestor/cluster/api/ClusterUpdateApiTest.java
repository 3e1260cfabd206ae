package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.LifecycleEvents;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.render.Kind;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** PATCH and PUT: optimistic concurrency, upgrades one minor at a time, workers following the control plane. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ClusterUpdateApiTest {
    static final String BASE = "/api/v1/tenants/acme/clusters/";
    static final String NS = "tenant-acme";
    KubernetesClient client;

    @BeforeEach
    void connect() {
        client = ApiServerResource.client();
        TestTokens.sendWithEveryRequest(TestTokens.tenant("acme")); // tenant acme, whose clusters these are
    }

    @AfterEach
    void disconnect() {
        TestTokens.sendNone();
        client.close();
    }

    void bringUp(String name) {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"" + name + "\""))
                .post("/api/v1/tenants/acme/clusters").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, NS, name) != null
                && Upstream.list(client, Kind.MACHINE_DEPLOYMENT, NS, name).size() == 2);
        Upstream.controlPlaneAvailable(client, NS, name);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Upstream.workersReady(client, NS, name + "-md0");
            Upstream.workersReady(client, NS, name + "-big");
            given().get(BASE + name).then().body("status.phase", equalTo("Ready"));
        });
    }

    /**
     * The cluster-autoscaler raises an autoscaled group: the cluster stays Ready for the debounce (5 s in these
     * tests) so it does not flap, then shows Scaling although nothing else changed, then Ready once the machines are.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anAutoscalerResizeShowsAsScalingOnlyOnceItOutlastsTheDebounce() {
        bringUp("bursty");
        // What the cluster-autoscaler does; CAPI then reports one ready machine of three.
        client.genericKubernetesResources(ClusterApi.context(Kind.MACHINE_DEPLOYMENT)).inNamespace(NS)
                .withName("bursty-md0").edit(md -> {
                    ((Map<String, Object>) md.getAdditionalProperties().get("spec")).put("replicas", 3);
                    return md;
                });
        Upstream.workersPartlyReady(client, NS, "bursty-md0", 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get(BASE + "bursty").then()
                .body("status.phase", equalTo("Ready"), "status.message", containsString("the autoscaler is resizing")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(BASE + "bursty").then()
                .body("status.phase", equalTo("Scaling")));
        Upstream.workersReady(client, NS, "bursty-md0");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(BASE + "bursty").then()
                .body("status.phase", equalTo("Ready"), "status.message", equalTo("the cluster is ready")));
    }

    @Test
    void aStaleIfMatchIsRefusedAndChangesNothing() {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"etag\""))
                .post("/api/v1/tenants/acme/clusters").then().statusCode(202).header("ETag", "\"1\"");
        given().header("If-Match", "\"7\"").contentType("application/merge-patch+json")
                .body("{\"deletionProtection\":true}").patch(BASE + "etag")
                .then().statusCode(412).contentType("application/problem+json")
                .body("type", equalTo("https://nestor.dev/problems/stale-etag"));
        given().header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                .body("{\"deletionProtection\":true}").patch(BASE + "etag")
                .then().statusCode(200).header("ETag", "\"2\"").body("spec.deletionProtection", equalTo(true));
        given().delete(BASE + "etag").then().statusCode(409)
                .body("type", equalTo("https://nestor.dev/problems/deletion-protected"));
        given().contentType("application/merge-patch+json").body("{\"colour\":\"red\"}").patch(BASE + "etag")
                .then().statusCode(400).body("type", equalTo("https://nestor.dev/problems/unknown-field"));
        given().get(BASE + "etag").then().statusCode(200).header("ETag", "\"2\"");
    }

    @Test
    void upgradesGoOneMinorAtATimeAndWorkersFollowTheControlPlane() {
        bringUp("up");
        String uid = given().get(BASE + "up").then().extract().path("uid");
        given().contentType("application/merge-patch+json").body("{\"version\":\"v1.32\"}").patch(BASE + "up")
                .then().statusCode(422).body("errors[0].rule", equalTo("downgrade"));
        given().contentType("application/merge-patch+json").body("{\"version\":\"v1.99\"}").patch(BASE + "up")
                .then().statusCode(422).body("errors[0].rule", equalTo("version-not-offered"));

        given().contentType("application/merge-patch+json").body("{\"version\":\"v1.34\"}").patch(BASE + "up")
                .then().statusCode(200).body("spec.version", equalTo("v1.34"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(spec(Upstream.get(client, Kind.KAMAJI_CONTROL_PLANE, NS, "up")).get("version")).isEqualTo("v1.34.1");
            assertThat(tc("up").getStatus().acceptedSpec.version).isEqualTo("v1.34");
        });
        // The control plane has not moved yet: workers stay, and another change of version waits.
        assertThat(mdVersion("up-md0")).isEqualTo("v1.33.5");
        given().contentType("application/merge-patch+json").body("{\"version\":\"v1.33\"}").patch(BASE + "up")
                .then().statusCode(409).body("type", equalTo("https://nestor.dev/problems/upgrade-in-progress"));

        Upstream.controlPlaneAvailable(client, NS, "up");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(mdVersion("up-md0")).isEqualTo("v1.34.1");
            assertThat(mdVersion("up-big")).isEqualTo("v1.34.1");
        });
        try (LifecycleEvents events = new LifecycleEvents()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(events.typesOf(uid)).contains("updated", "upgrading"));
        }
    }

    @Test
    void aRemovedNodeGroupLosesItsObjects() {
        bringUp("shrink");
        given().contentType("application/merge-patch+json")
                .body("{\"nodeGroups\":[{\"name\":\"md0\",\"instanceType\":\"u1.medium\",\"minReplicas\":2,\"maxReplicas\":2}]}")
                .patch(BASE + "shrink").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Upstream.workersReady(client, NS, "shrink-md0");
            assertThat(Upstream.get(client, Kind.MACHINE_DEPLOYMENT, NS, "shrink-big")).isNull();
            assertThat(Upstream.get(client, Kind.MACHINE_HEALTH_CHECK, NS, "shrink-big")).isNull();
            assertThat(Upstream.list(client, Kind.KUBEVIRT_MACHINE_TEMPLATE, NS, "shrink"))
                    .allSatisfy(t -> assertThat(t.getMetadata().getName()).startsWith("shrink-md0-"));
            assertThat(spec(Upstream.get(client, Kind.MACHINE_DEPLOYMENT, NS, "shrink-md0"))).containsEntry("replicas", 2);
        });
    }

    TenantCluster tc(String name) {
        return client.resources(TenantCluster.class).inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    String mdVersion(String name) {
        Map<String, Object> template = (Map<String, Object>) spec(Upstream.get(client, Kind.MACHINE_DEPLOYMENT, NS, name)).get("template");
        return (String) ((Map<String, Object>) template.get("spec")).get("version");
    }
}
