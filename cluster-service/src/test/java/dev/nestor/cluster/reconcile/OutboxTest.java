package dev.nestor.cluster.reconcile;

import dev.nestor.sandbox.testing.TestTokens;
import dev.nestor.cluster.LifecycleEvents;
import dev.nestor.cluster.TestCatalog;
import dev.nestor.cluster.Upstream;
import dev.nestor.cluster.model.PendingEvent;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBroker;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The outbox with a failing publisher: while the broker is frozen (SIGSTOP) transitions are still
 * recorded in status with contiguous sequences; once it is back every event arrives, in order,
 * and the outbox empties.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class OutboxTest {

    @Test
    void transitionsSurviveAnUnavailableBroker() {
        assumeTrue(KafkaBrokerResource.current().isPresent(), "needs a broker of its own to pause");
        KafkaBroker broker = KafkaBrokerResource.current().get();
        try (KubernetesClient client = ApiServerResource.client()) {
            broker.pause();
            String uid;
            try {
                uid = given().auth().oauth2(TestTokens.tenant("acme")).contentType(ContentType.JSON).body(TestCatalog.EXAMPLE.replace("\"demo\"", "\"frozen\""))
                        .post("/api/v1/tenants/acme/clusters").then().statusCode(202).extract().path("uid");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(sequences(tc(client))).containsExactly(1L, 2L));
                Upstream.controlPlaneAvailable(client, "tenant-acme", "frozen");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(sequences(tc(client))).containsExactly(1L, 2L, 3L));
                assertThat(tc(client).getStatus().lastSequence).isEqualTo(3L);
            } finally {
                broker.resume();
            }
            try (LifecycleEvents events = new LifecycleEvents()) {
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(events.typesOf(uid))
                        .containsExactly("requested", "provisioning", "control-plane-ready"));
                assertThat(events.of(uid)).extracting(e -> e.sequence()).containsExactly(1L, 2L, 3L);
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sequences(tc(client))).isEmpty());
        }
    }

    static TenantCluster tc(KubernetesClient client) {
        return client.resources(TenantCluster.class).inNamespace("tenant-acme").withName("frozen").get();
    }

    static List<Long> sequences(TenantCluster tc) {
        return tc.getStatus() == null ? List.of() : tc.getStatus().pendingEvents.stream().map((PendingEvent e) -> e.sequence).toList();
    }
}
