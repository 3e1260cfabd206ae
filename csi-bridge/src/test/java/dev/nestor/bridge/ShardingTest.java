package dev.nestor.bridge;

import dev.nestor.bridge.config.BridgeConfig;
import dev.nestor.bridge.reconcile.Bridge;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import dev.nestor.support.feed.ClusterFeed;
import dev.nestor.support.feed.EventSender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas split the clusters by the Kafka partitions each owns (DESIGN §10); when one goes, the other takes its
 * clusters over. The application under test is one replica, the test starts a second in the same consumer group.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ShardingTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String TAINT = "node.cloudprovider.kubernetes.io/uninitialized";

    @Test
    void aSecondReplicaTakesSomeClustersAndGivesThemBackWhenItGoes() throws Exception {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        List<BridgeFixture> clusters = new ArrayList<>();
        try (KubernetesClient management = ApiServerResource.client(); EventSender sender = new EventSender(bootstrap)) {
            Bridge second = new Bridge(ApiServerResource.client(), new VertxHttpClientFactory(), config(), bootstrap,
                    new SimpleMeterRegistry());
            try {
                for (String name : onSevenPartitions()) {
                    BridgeFixture cluster = new BridgeFixture(management, sender, name);
                    clusters.add(cluster);
                    cluster.worker(name + "-md0-a", "10.244.2." + clusters.size());
                    cluster.registerNode(name + "-md0-a");
                    cluster.publish(false);
                }
                await().atMost(WAIT).untilAsserted(() -> assertThat(clusters).allSatisfy(c -> assertThat(
                        c.tenant.nodes().withName(c.name + "-md0-a").get().getSpec().getTaints())
                        .noneMatch(t -> TAINT.equals(t.getKey()))));
                // Clusters of the other tests in this class's run are on the topic too: count this test's only.
                Set<String> mine = clusters.stream().map(BridgeFixture::key).collect(Collectors.toSet());
                await().atMost(WAIT).untilAsserted(() -> assertThat(second.connectedClusters()).filteredOn(mine::contains)
                        .as("the second replica serves some of this test's clusters, not all").isNotEmpty()
                        .hasSizeLessThan(clusters.size()));
            } finally {
                Set<String> handedBack = second.connectedClusters();
                second.close();
                // Work that arrives after the second replica left is done by the first one.
                for (BridgeFixture cluster : clusters) {
                    if (handedBack.contains(cluster.key())) {
                        cluster.registerNode(cluster.name + "-md0-b");
                        cluster.worker(cluster.name + "-md0-b", "10.244.3.1");
                    }
                }
                await().atMost(WAIT).untilAsserted(() -> assertThat(clusters).filteredOn(c ->
                        handedBack.contains(c.key())).allSatisfy(c -> assertThat(c.tenant.nodes()
                        .withName(c.name + "-md0-b").get().getSpec().getTaints())
                        .noneMatch(t -> TAINT.equals(t.getKey()))));
                clusters.forEach(BridgeFixture::close);
            }
        }
    }

    /**
     * Cluster names on seven different partitions: each replica holds six of the twelve, so whatever the assignment
     * both serve at least one of them.
     */
    private static List<String> onSevenPartitions() {
        Map<Integer, String> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.size() < 7; i++) {
            byPartition.putIfAbsent(ClusterFeed.partitionOf(BridgeFixture.NS + "/shard" + i), "shard" + i);
        }
        return List.copyOf(byPartition.values());
    }

    private static BridgeConfig config() {
        return new BridgeConfig() {
            @Override
            public Duration resync() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration connectInterval() {
                return Duration.ofMillis(10);
            }

            @Override
            public List<String> kubeconfigKeys() {
                return List.of("admin.svc", "admin.conf", "value");
            }

            @Override
            public Duration operationTimeout() {
                return Duration.ofSeconds(20);
            }

            @Override
            public Storage storage() {
                return Optional::empty;
            }

            @Override
            public LoadBalancer loadBalancer() {
                return Optional::empty;
            }
        };
    }
}
