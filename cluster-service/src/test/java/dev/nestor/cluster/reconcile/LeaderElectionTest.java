package dev.nestor.cluster.reconcile;

import dev.nestor.cluster.config.LeaderElection;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The replica holds the Lease that lets it reconcile, and keeps renewing it. */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class LeaderElectionTest {
    @Inject
    LeaderElection election;

    @Test
    void thisReplicaHoldsAndRenewsTheLease() {
        try (KubernetesClient client = ApiServerResource.client()) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Lease lease = client.leases().inNamespace("default").withName("nestor-cluster-service").get();
                assertThat(lease).isNotNull();
                assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(election.identity());
                assertThat(election.isLeader()).isTrue();
            });
            var first = client.leases().inNamespace("default").withName("nestor-cluster-service").get().getSpec().getRenewTime();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    client.leases().inNamespace("default").withName("nestor-cluster-service").get().getSpec().getRenewTime())
                    .isNotEqualTo(first));
        }
    }
}
