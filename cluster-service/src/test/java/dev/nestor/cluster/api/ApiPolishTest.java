package dev.nestor.cluster.api;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

/** Idempotent POST, the phase filter and the API description. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ApiPolishTest {
    @org.junit.jupiter.api.BeforeEach
    void authenticate() {
        TestTokens.sendWithEveryRequest(TestTokens.admin());
    }

    @org.junit.jupiter.api.AfterEach
    void forget() {
        TestTokens.sendNone();
    }

    static final String CLUSTERS = "/api/v1/tenants/globex/clusters";

    @Test
    void aRetriedPostWithTheSameKeyIsAnsweredAsTheFirstAndChangesNothing() {
        String body = TestCatalog.EXAMPLE.replace("\"demo\"", "\"retried\"");
        String uid = given().header("Idempotency-Key", "req-42").contentType(ContentType.JSON).body(body)
                .post(CLUSTERS).then().statusCode(202).extract().path("uid");
        String again = given().header("Idempotency-Key", "req-42").contentType(ContentType.JSON).body(body)
                .post(CLUSTERS).then().statusCode(202).extract().path("uid");
        assertThat(again).isEqualTo(uid);
        given().header("Idempotency-Key", "req-42").contentType(ContentType.JSON)
                .body(body.replace("\"replicas\":2}", "\"replicas\":3}")).post(CLUSTERS)
                .then().statusCode(422).body("type", equalTo("https://nestor.dev/problems/idempotency-key-reused"));
        given().contentType(ContentType.JSON).body(body).post(CLUSTERS)
                .then().statusCode(409).body("type", equalTo("https://nestor.dev/problems/cluster-exists"));
        given().header("Idempotency-Key", "not a key!").contentType(ContentType.JSON).body(body).post(CLUSTERS)
                .then().statusCode(400).body("type", equalTo("https://nestor.dev/problems/bad-idempotency-key"));
        given().get(CLUSTERS + "/retried").then().statusCode(200).body("generation", equalTo(1));
    }

    @Test
    void listsFilterByPhaseAndRefuseNonsense() {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"filtered\""))
                .post(CLUSTERS).then().statusCode(202);
        given().get(CLUSTERS + "?phase=Ready").then().statusCode(200).body("items.status.phase", everyItem(equalTo("Ready")));
        given().get(CLUSTERS + "?phase=Sleeping").then().statusCode(400)
                .body("type", equalTo("https://nestor.dev/problems/bad-phase"));
        given().get(CLUSTERS + "?limit=abc").then().statusCode(400)
                .body("type", equalTo("https://nestor.dev/problems/bad-limit"));
        given().get(CLUSTERS + "?limit=1").then().statusCode(200).body("items.size()", equalTo(1));
    }

    /** Operators scrape Prometheus metrics per controller and per phase, never a series per cluster. */
    @Test
    void operatorsScrapeMetricsPerPhaseNotPerCluster() {
        given().contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"measured\""))
                .post(CLUSTERS).then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(scrape).containsPattern("nestor_clusters\\{phase=\"(Pending|Provisioning)\"[^}]*} [1-9]")
                    .contains("nestor_clusters{phase=\"Ready\"")
                    .containsPattern("nestor_events_sent_total\\{outcome=\"acknowledged\",topic=\"nestor.cluster.lifecycle\"[^}]*} [1-9]")
                    .doesNotContain("measured");
        });
    }

    @Test
    void theApiIsDescribed() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/tenants/{tenant}/clusters/{name}/kubeconfig"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
