package dev.nestor.autoscaler;

import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The service starts and reports itself live and ready, as the sandbox and Kubernetes probes expect. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class HealthTest {
    @Test
    void liveAndReady() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** Operators scrape Prometheus metrics per controller, never per cluster. */
    @Test
    void metricsPerController() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("nestor_workqueue_pending{controller=\"autoscalers\""),
                        containsString("nestor_leader{lease=\"nestor-autoscaler-bridge\"} 1.0"),
                        containsString("nestor_feed_clusters{group=\"nestor-autoscaler-bridge\"")));
    }
}
