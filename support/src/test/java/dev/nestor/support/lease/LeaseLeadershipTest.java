package dev.nestor.support.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nestor.sandbox.apiserver.ApiServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two replicas campaigning for one Lease on an HTTP API server: one leads; when it steps down the other takes over. */
class LeaseLeadershipTest {

    private static ApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void startServer() {
        server = ApiServer.builder().port(0).start();
        client = server.newClient();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    @Test
    void exactlyOneReplicaLeadsAndAFollowerTakesOverWhenTheLeaderStepsDown() {
        AtomicInteger firstAcquired = new AtomicInteger();
        AtomicInteger secondAcquired = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        SimpleMeterRegistry firstMetrics = new SimpleMeterRegistry();
        SimpleMeterRegistry secondMetrics = new SimpleMeterRegistry();
        LeaseLeadership first = LeaseLeadership.start(client, firstMetrics, "default", "nestor-test", "replica-1",
                firstAcquired::incrementAndGet, lost::incrementAndGet);
        await().atMost(Duration.ofSeconds(20)).until(() -> firstAcquired.get() == 1);
        LeaseLeadership second = LeaseLeadership.start(client, secondMetrics, "default", "nestor-test", "replica-2",
                secondAcquired::incrementAndGet, lost::incrementAndGet);
        try {
            Lease lease = client.leases().inNamespace("default").withName("nestor-test").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-1");
            assertThat(leading(firstMetrics)).isEqualTo(1);
            assertThat(leading(secondMetrics)).isZero();

            first.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> secondAcquired.get() == 1);
            assertThat(client.leases().inNamespace("default").withName("nestor-test").get().getSpec()
                    .getHolderIdentity()).isEqualTo("replica-2");
            // Giving the lease up on purpose is not losing it: nobody is told to exit.
            assertThat(lost).hasValue(0);
            assertThat(firstAcquired).hasValue(1);
            assertThat(leading(firstMetrics)).isZero();
            assertThat(leading(secondMetrics)).isEqualTo(1);
        } finally {
            second.close();
        }
    }

    private static double leading(SimpleMeterRegistry metrics) {
        return metrics.get(LeaseLeadership.LEADER_METRIC).tags("lease", "nestor-test").gauge().value();
    }
}
