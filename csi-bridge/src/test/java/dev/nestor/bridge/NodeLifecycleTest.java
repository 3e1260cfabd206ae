package dev.nestor.bridge;

import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.events.EventTypes;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From control-plane-ready on, csi-bridge connects to the tenant API, initialises the workers' Nodes from their VMs,
 * removes Nodes whose VM is gone, survives a tenant API that goes away and comes back, and reports all of it.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class NodeLifecycleTest extends BridgeTestBase {

    static final String TAINT = "node.cloudprovider.kubernetes.io/uninitialized";

    @Test
    void workerNodesAreInitialisedAndRemovedWithTheirVm() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "nodes")) {
            String vmUid = cluster.worker("nodes-md0-a", "10.244.0.7").getMetadata().getUid();
            cluster.registerNode("nodes-md0-a");
            cluster.publish(false);

            await().atMost(WAIT).untilAsserted(() -> {
                Node node = cluster.tenant.nodes().withName("nodes-md0-a").get();
                assertThat(node.getSpec().getTaints()).noneMatch(t -> TAINT.equals(t.getKey()));
                assertThat(node.getSpec().getProviderID()).isEqualTo("kubevirt://nodes-md0-a");
                assertThat(node.getStatus().getAddresses()).extracting(NodeAddress::getType, NodeAddress::getAddress)
                        .contains(org.assertj.core.groups.Tuple.tuple("InternalIP", "10.244.0.7"));
                assertThat(node.getMetadata().getAnnotations()).containsEntry("nestor.dev/vm-uid", vmUid);
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.last(cluster.key(),
                    EventTypes.BRIDGE_CONNECTED, EventTypes.BRIDGE_DISCONNECTED)).isNotNull()
                    .satisfies(e -> {
                        assertThat(e.type()).isEqualTo(EventTypes.BRIDGE_CONNECTED);
                        assertThat(e.data().path("storage").path("state").asText()).isEqualTo("Ready");
                        assertThat(e.data().path("loadBalancers").path("state").asText()).isEqualTo("Ready");
                    }));

            // A stopped VM (no instance) is not a deleted one: the Node stays.
            management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE_INSTANCE).inNamespace(BridgeFixture.NS)
                    .withName("nodes-md0-a").delete();
            await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
                    assertThat(cluster.tenant.nodes().withName("nodes-md0-a").get()).isNotNull());

            management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE).inNamespace(BridgeFixture.NS)
                    .withName("nodes-md0-a").delete();
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(cluster.tenant.nodes().withName("nodes-md0-a").get()).isNull());
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.last(cluster.key(), EventTypes.NODE_REMOVED))
                    .isNotNull().satisfies(e -> {
                        assertThat(e.data().path("objectKind").asText()).isEqualTo("Node");
                        assertThat(e.data().path("objectName").asText()).isEqualTo("nodes-md0-a");
                    }));
        }
    }

    @Test
    void aNodeClaimingAnotherClustersVmIsLeftAloneWithAWarning() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "forger")) {
            cluster.worker("victim-md0-a", "10.244.9.9", "victim");
            cluster.worker("forger-md0-a", "10.244.0.8");
            cluster.registerNode("forger-md0-a");
            cluster.registerNode("victim-md0-a");
            cluster.publish(false);

            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.tenant.nodes().withName("forger-md0-a").get()
                    .getSpec().getTaints()).noneMatch(t -> TAINT.equals(t.getKey())));
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.tenant.v1().events().inNamespace("default")
                    .list().getItems()).anySatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("victim-md0-a");
                    }));
            Node forged = cluster.tenant.nodes().withName("victim-md0-a").get();
            assertThat(forged.getSpec().getTaints()).anyMatch(t -> TAINT.equals(t.getKey()));
            assertThat(forged.getSpec().getProviderID()).isNull();
        }
    }

    @Test
    void aTenantApiThatGoesAwayAndComesBackIsReconnected() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "flaky")) {
            cluster.worker("flaky-md0-a", "10.244.0.9");
            cluster.publish(false);
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.lastStateType(cluster.key()))
                    .isEqualTo(EventTypes.BRIDGE_CONNECTED));

            cluster.stopTenant();
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.lastStateType(cluster.key()))
                    .isEqualTo(EventTypes.BRIDGE_DISCONNECTED));

            // Back on another address, as a restarted control plane would be: the kubeconfig Secret changes.
            cluster.startTenant();
            cluster.registerNode("flaky-md0-a");
            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.tenant.nodes().withName("flaky-md0-a").get()
                    .getSpec().getTaints()).noneMatch(t -> TAINT.equals(t.getKey())));
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.lastStateType(cluster.key()))
                    .isEqualTo(EventTypes.BRIDGE_CONNECTED));
        }
    }

    @Test
    void aDeletedClusterIsDisconnected() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "leaving")) {
            cluster.worker("leaving-md0-a", "10.244.0.10");
            cluster.publish(false);
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.lastStateType(cluster.key()))
                    .isEqualTo(EventTypes.BRIDGE_CONNECTED));

            // The TenantCluster is gone from the API: the deletion is confirmed.
            cluster.publish(true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.last(cluster.key(),
                    EventTypes.BRIDGE_CONNECTED, EventTypes.BRIDGE_DISCONNECTED)).satisfies(e -> {
                        assertThat(e.type()).isEqualTo(EventTypes.BRIDGE_DISCONNECTED);
                        assertThat(e.data().path("storage").path("message").asText()).contains("deleted");
                    }));
            cluster.registerNode("leaving-md0-a");
            await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(cluster.tenant.nodes()
                    .withName("leaving-md0-a").get().getSpec().getTaints()).anyMatch(t -> TAINT.equals(t.getKey())));
        }
    }
}
