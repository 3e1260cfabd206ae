package dev.nestor.autoscaler.api;

import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.TestTokens;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static dev.nestor.autoscaler.api.EarlierReplica.CLUSTER;
import static dev.nestor.autoscaler.api.EarlierReplica.CODEC;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas behind one Service: this one started after the other had scaled a cluster, and does not hold the
 * Lease. Its {@code GET .../autoscaling} still lists the cluster's scaling events, read from
 * {@code nestor.autoscaling}: in order, each once, none older than the window, none of an earlier cluster under the
 * same name, and the ones published while it runs as well.
 */
@QuarkusTest
@WithTestResource(EarlierReplica.class)
class ScalingHistoryOnAnyReplicaTest {

    @Test
    void aReplicaThatDoesNotLeadShowsWhatTheLeaderScaledBeforeAndAfterItStarted() {
        try (KubernetesClient client = ApiServerResource.client()) {
            assertThat(client.leases().inNamespace("default").withName("nestor-autoscaler-bridge").get().getSpec()
                    .getHolderIdentity()).isEqualTo(EarlierReplica.LEADER);
        }
        // the last event published before the start shows: so have the duplicate and the bad record before it
        await().atMost(Duration.ofSeconds(20)).until(() -> last(events()), e -> e.equals(List.of(3, 2, "down")));
        assertThat(events()).extracting(ScalingHistoryOnAnyReplicaTest::change)
                .containsExactly(List.of(1, 2, "up"), List.of(2, 3, "up"), List.of(3, 2, "down"));

        OffsetDateTime now = OffsetDateTime.now();
        var again = CODEC.toRecord(EarlierReplica.scaled(EarlierReplica.uid, now.minusSeconds(20), 2, 1));
        EarlierReplica.publish(List.of(again, again,
                CODEC.toRecord(EarlierReplica.scaled(EarlierReplica.uid, now.minusSeconds(10), 1, 3))));
        await().atMost(Duration.ofSeconds(20)).until(() -> last(events()), e -> e.equals(List.of(1, 3, "up")));
        assertThat(events()).extracting(ScalingHistoryOnAnyReplicaTest::change).containsExactly(
                List.of(1, 2, "up"), List.of(2, 3, "up"), List.of(3, 2, "down"), List.of(2, 1, "down"),
                List.of(1, 3, "up"));
        assertThat(events()).allSatisfy(e -> assertThat(e).containsEntry("nodeGroup", "md0").containsKey("time"));
    }

    private static List<Map<String, Object>> events() {
        return given().auth().oauth2(TestTokens.tenant("acme"))
                .get("/api/v1/tenants/acme/clusters/{c}/autoscaling", CLUSTER).then().statusCode(200)
                .extract().jsonPath().getList("events");
    }

    private static List<Object> last(List<Map<String, Object>> events) {
        return events.isEmpty() ? List.of() : change(events.get(events.size() - 1));
    }

    private static List<Object> change(Map<String, Object> event) {
        return List.of(event.get("from"), event.get("to"), event.get("direction"));
    }
}
