package dev.nestor.bridge;

import dev.nestor.bridge.reconcile.BridgeRestarts;
import dev.nestor.events.EventTypes;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * A tenant LoadBalancer Service gets a management LoadBalancer Service in front of the worker VMs (ports to the
 * NodePorts, nothing else copied but allow-listed annotations and pool addresses), its address copied back and
 * re-synced, and removed when the tenant Service changes type or is deleted — also while the bridge was down, as the
 * service controller's finalizer holds the tenant Service until then; a deleted cluster leaves nothing labelled with
 * it and no finalizer.
 * (The test plays the infrastructure load balancer: it writes the management Service's ingress.)
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class LoadBalancerTest extends BridgeTestBase {

    static final String FINALIZER = "service.kubernetes.io/load-balancer-cleanup";

    @Test
    void aTenantLoadBalancerIsServedFromTheManagementCluster() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "lbs")) {
            Service tenant = cluster.tenant.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("web").withNamespace("default")
                    .withAnnotations(Map.of("metallb.universe.tf/address-pool", "public", "evil/annotation", "x"))
                    .endMetadata()
                    .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", "web"))
                    .withExternalIPs("203.0.113.9").withLoadBalancerIP("198.51.100.77")
                    .withPorts(port("http", 80, 30080)).endSpec().build()).create();
            String name = ("a" + tenant.getMetadata().getUid().replace("-", "")).substring(0, 32);
            // A Service naming another load-balancer class belongs to that class's controller.
            Service elsewhere = cluster.tenant.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("metal").withNamespace("default").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withLoadBalancerClass("example.com/metal")
                    .withPorts(port("http", 80, 30081)).endSpec().build()).create();
            cluster.publish(false);

            Service lb = await().atMost(WAIT).until(() -> managed(name), s -> s != null);
            assertThat(managed(("a" + elsewhere.getMetadata().getUid().replace("-", "")).substring(0, 32)))
                    .as("another class's Service").isNull();
            assertThat(finalizers(cluster, "metal")).doesNotContain(FINALIZER);
            assertThat(finalizers(cluster, "web")).as("the service controller's finalizer, as the bridge serves it")
                    .contains(FINALIZER);
            assertThat(lb.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(lb.getSpec().getSelector()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "cluster.x-k8s.io/cluster-name", "lbs", "cluster.x-k8s.io/role", "worker"));
            assertThat(lb.getSpec().getPorts()).extracting(ServicePort::getPort, p -> p.getTargetPort().getIntVal())
                    .containsExactly(tuple(80, 30080));
            assertThat(lb.getSpec().getExternalIPs()).isNullOrEmpty();
            assertThat(lb.getSpec().getLoadBalancerIP()).as("not in the tenant's pool").isNull();
            assertThat(lb.getMetadata().getAnnotations()).containsOnlyKeys("metallb.universe.tf/address-pool");

            ingress(name, "192.0.2.10");
            await().atMost(WAIT).untilAsserted(() -> assertThat(tenantIngress(cluster)).isEqualTo("192.0.2.10"));

            cluster.tenant.services().inNamespace("default").withName("web").edit(s -> {
                s.getSpec().setPorts(List.of(port("http", 80, 30080), port("https", 443, 30443)));
                return s;
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(managed(name).getSpec().getPorts())
                    .extracting(ServicePort::getPort, p -> p.getTargetPort().getIntVal())
                    .containsExactly(tuple(80, 30080), tuple(443, 30443)));

            ingress(name, "192.0.2.11");
            await().atMost(WAIT).untilAsserted(() -> assertThat(tenantIngress(cluster)).isEqualTo("192.0.2.11"));

            cluster.tenant.services().inNamespace("default").withName("web").edit(s -> {
                s.getSpec().setType("NodePort");
                return s;
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(managed(name)).isNull());
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(finalizers(cluster, "web")).doesNotContain(FINALIZER);
                assertThat(tenantIngress(cluster)).as("no address once it is no load balancer").isEqualTo("none");
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.of(cluster.key()).stream().map(e -> e.type())
                    .toList()).contains(EventTypes.LOADBALANCER_PROVISIONED, EventTypes.LOADBALANCER_UPDATED,
                    EventTypes.LOADBALANCER_DELETED));
        }
    }

    @Test
    void aServiceDeletedWhileTheBridgeIsDownLosesItsLoadBalancerWhenItIsBack() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "downtime")) {
            Service tenant = cluster.tenant.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("web").withNamespace("default").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withPorts(port("http", 80, 30081)).endSpec().build())
                    .create();
            String name = ("a" + tenant.getMetadata().getUid().replace("-", "")).substring(0, 32);
            cluster.publish(false);
            await().atMost(WAIT).until(() -> managed(name) != null);
            await().atMost(WAIT).until(() -> finalizers(cluster, "web").contains(FINALIZER));

            BridgeRestarts.stop();
            try {
                cluster.tenant.services().inNamespace("default").withName("web").delete();
                Service deleting = cluster.tenant.services().inNamespace("default").withName("web").get();
                assertThat(deleting).as("held by the finalizer while no bridge runs").isNotNull();
                assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();
                assertThat(managed(name)).isNotNull();
            } finally {
                BridgeRestarts.start();
            }

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(managed(name)).isNull();
                assertThat(cluster.tenant.services().inNamespace("default").withName("web").get())
                        .as("the finalizer went once the management Service did").isNull();
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.last(cluster.key(),
                    EventTypes.LOADBALANCER_DELETED)).isNotNull());
        }
    }

    @Test
    void aDeletedClusterLeavesNoLoadBalancer() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "gone")) {
            cluster.tenant.services().inNamespace("default").resource(new ServiceBuilder()
                    .withNewMetadata().withName("db").withNamespace("default").endMetadata()
                    .withNewSpec().withType("LoadBalancer").withPorts(port("pg", 5432, 31432)).endSpec().build())
                    .create();
            cluster.publish(false);
            await().atMost(WAIT).until(() -> !labelled(cluster).isEmpty());

            await().atMost(WAIT).until(() -> finalizers(cluster, "db").contains(FINALIZER));

            cluster.publish(true);
            await().atMost(WAIT).untilAsserted(() -> assertThat(labelled(cluster)).isEmpty());
            await().atMost(WAIT).untilAsserted(() -> assertThat(finalizers(cluster, "db"))
                    .as("a Service the bridge no longer serves keeps no finalizer of it").doesNotContain(FINALIZER));
        }
    }

    private static List<String> finalizers(BridgeFixture cluster, String service) {
        Service s = cluster.tenant.services().inNamespace("default").withName(service).get();
        return s == null || s.getMetadata().getFinalizers() == null ? List.of() : s.getMetadata().getFinalizers();
    }

    private List<Service> labelled(BridgeFixture cluster) {
        return management.services().inNamespace(BridgeFixture.NS).withLabel("nestor.dev/cluster-uid", cluster.uid)
                .list().getItems();
    }

    private Service managed(String name) {
        return management.services().inNamespace(BridgeFixture.NS).withName(name).get();
    }

    private void ingress(String name, String ip) {
        management.services().inNamespace(BridgeFixture.NS).withName(name).subresource("status").patch(
                PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status",
                        Map.of("loadBalancer", Map.of("ingress", List.of(Map.of("ip", ip)))))));
    }

    private static String tenantIngress(BridgeFixture cluster) {
        Service s = cluster.tenant.services().inNamespace("default").withName("web").get();
        if (s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null
                || s.getStatus().getLoadBalancer().getIngress().isEmpty()) {
            return "none";
        }
        return s.getStatus().getLoadBalancer().getIngress().get(0).getIp();
    }

    private static ServicePort port(String name, int port, int nodePort) {
        ServicePort p = new ServicePort();
        p.setName(name);
        p.setProtocol("TCP");
        p.setPort(port);
        p.setTargetPort(new IntOrString(port));
        p.setNodePort(nodePort);
        return p;
    }
}
