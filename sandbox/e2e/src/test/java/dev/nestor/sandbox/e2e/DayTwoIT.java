package dev.nestor.sandbox.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Day two on the sandbox, as a tenant does it over REST: scale a group up, add and remove a group,
 * change an instance type, upgrade v1.32 → v1.33 → v1.34; each step converges to Ready, refused
 * changes change nothing, every transition is an event in order, every object stays valid.
 */
class DayTwoIT {
    static final String CLUSTER = "/api/v1/tenants/acme/clusters/ops";
    static final String MERGE = "application/merge-patch+json";
    static Sandbox sandbox;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-day-two").toAbsolutePath());
        sandbox.start();
        sandbox.restAsTenant("acme");
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static void patch(String body) {
        given().contentType(MERGE).body(body).patch(CLUSTER).then().statusCode(200);
    }

    static void awaitReady(String nodes, String version) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                given().get(CLUSTER).then().statusCode(200).body("status.phase", equalTo("Ready"),
                        "status.nodes", equalTo(nodes), "status.version", equalTo(version),
                        "status.observedGeneration", equalTo(given().get(CLUSTER).then().extract().path("generation"))));
    }

    static String group(String name, String type, int replicas) {
        return "{\"name\":\"" + name + "\",\"instanceType\":\"" + type + "\",\"minReplicas\":" + replicas
                + ",\"maxReplicas\":" + replicas + "}";
    }

    @Test
    void scaleReshapeAndUpgradeAClusterStepByStep() throws Exception {
        try (KubernetesClient client = sandbox.client(); LifecycleTopic topic = new LifecycleTopic(sandbox.bootstrapServers())) {
            String uid = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"ops\",\"version\":\"v1.32\",\"nodeGroups\":[" + group("md0", "u1.small", 1) + "]}")
                    .post("/api/v1/tenants/acme/clusters").then().statusCode(202).extract().path("uid");
            awaitReady("1/1", "v1.32.9");

            patch("{\"nodeGroups\":[" + group("md0", "u1.small", 2) + "]}");
            awaitReady("2/2", "v1.32.9");

            patch("{\"nodeGroups\":[" + group("md0", "u1.small", 2) + "," + group("extra", "u1.small", 1) + "]}");
            awaitReady("3/3", "v1.32.9");

            patch("{\"nodeGroups\":[" + group("md0", "u1.small", 2) + "]}");
            awaitReady("2/2", "v1.32.9");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(client
                    .genericKubernetesResources("cluster.x-k8s.io/v1beta2", "MachineDeployment").inNamespace("tenant-acme")
                    .withName("ops-extra").get()).as("the removed group's MachineDeployment").isNull());

            patch("{\"nodeGroups\":[" + group("md0", "u1.medium", 2) + "]}");
            awaitReady("2/2", "v1.32.9");

            given().contentType(MERGE).body("{\"version\":\"v1.34\"}").patch(CLUSTER).then().statusCode(422)
                    .body("errors[0].rule", equalTo("upgrade-skip"));
            patch("{\"version\":\"v1.33\"}");
            awaitReady("2/2", "v1.33.5");
            given().contentType(MERGE).body("{\"version\":\"v1.32\"}").patch(CLUSTER).then().statusCode(422)
                    .body("errors[0].rule", equalTo("downgrade"));
            patch("{\"version\":\"v1.34\"}");
            awaitReady("2/2", "v1.34.1");

            ClusterLifecycleIT.assertEveryObjectValidates(client, "ops");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(topic.typesOf(uid))
                    .startsWith("requested", "provisioning", "control-plane-ready", "ready")
                    .contains("updated", "scaling", "upgrading").endsWith("ready"));
            ClusterLifecycleIT.assertEventsAreCompleteFor(topic, uid, "tenant-acme");
        }
    }
}
