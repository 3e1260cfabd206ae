package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.NestorEvent;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of cluster-service: both serve REST, the Lease holder reconciles. {@code kill -9}
 * of the leader during 20 concurrent provisions: the other takes over, every cluster reaches
 * Ready, and every transition event appears, in order, with the same id each time it appears.
 */
class TwoReplicasIT {
    static final int CLUSTERS = 20;
    static Sandbox sandbox;
    static int followerPort;

    @BeforeAll
    static void up() throws Exception {
        sandbox = new Sandbox(Path.of("target", "e2e-two-replicas").toAbsolutePath());
        sandbox.start();
        followerPort = Sandbox.freePort();
        sandbox.startReplica("replica-b", followerPort);
    }

    @AfterAll
    static void down() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static String holder(KubernetesClient client) {
        Lease lease = client.leases().inNamespace("default").withName("nestor-cluster-service").get();
        return lease == null || lease.getSpec().getHolderIdentity() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static String replicaOf(String identity) {
        return identity.substring(0, identity.lastIndexOf('-'));
    }

    @Test
    void theFollowerTakesOverAndNoTransitionIsLost() throws Exception {
        try (KubernetesClient client = sandbox.client(); LifecycleTopic topic = new LifecycleTopic(sandbox.bootstrapServers())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> holder(client) != null);
            String leader = replicaOf(holder(client));
            String follower = leader.equals("replica-a") ? "replica-b" : "replica-a";
            int followerRest = follower.equals("replica-b") ? followerPort : sandbox.restPort;

            String token = sandbox.token("globex");
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < CLUSTERS; i++) {
                uids.add(given().port(followerRest).auth().oauth2(token).contentType(ContentType.JSON)
                        .body("{\"name\":\"f" + i + "\",\"version\":\"v1.33\",\"nodeGroups\":[{\"name\":\"md0\","
                                + "\"instanceType\":\"u1.small\",\"minReplicas\":1,\"maxReplicas\":1}]}")
                        .post("http://127.0.0.1/api/v1/tenants/globex/clusters").then().statusCode(202)
                        .extract().path("uid"));
            }
            // Kill the leader while the clusters provision, with transitions recorded and in flight.
            await().atMost(Duration.ofSeconds(60)).until(() -> topic.typesOf(uids.get(0)).contains("provisioning"));
            sandbox.kill(leader);

            await().atMost(Duration.ofSeconds(30)).until(() -> holder(client) != null
                    && replicaOf(holder(client)).equals(follower));
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                for (int i = 0; i < CLUSTERS; i++) {
                    assertThat((String) given().port(followerRest).auth().oauth2(token).get("http://127.0.0.1/api/v1/tenants/globex/clusters/f" + i)
                            .then().statusCode(200).extract().path("status.phase")).as("f" + i).isEqualTo("Ready");
                }
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (String uid : uids) {
                    assertThat(topic.typesOf(uid)).as(uid)
                            .containsExactly("requested", "provisioning", "control-plane-ready", "ready");
                }
            });
            for (String uid : uids) {
                ClusterLifecycleIT.assertEventsAreCompleteFor(topic, uid, "tenant-globex");
                List<Long> sequences = topic.eventsOf(uid).stream().map(NestorEvent<JsonNode>::sequence).toList();
                assertThat(sequences).containsExactly(1L, 2L, 3L, 4L);
            }
        }
    }
}
