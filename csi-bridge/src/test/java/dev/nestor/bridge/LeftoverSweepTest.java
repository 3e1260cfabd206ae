package dev.nestor.bridge;

import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.events.EventTypes;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What csi-bridge made for a cluster deleted while no replica ran (its tombstone was never seen, cluster-service
 * stopped waiting) is swept once the API confirms the TenantCluster is gone; a volume still plugged into a VM waits
 * until it is unplugged; a live cluster the feed has not read is left alone.
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class LeftoverSweepTest extends BridgeTestBase {

    /** More than one sweep period (the test resync, 5 s). */
    static final Duration SWEEP = Duration.ofSeconds(6);

    @Test
    void leftoversOfAGoneClusterAreSweptAndThoseOfALiveOneKept() {
        // "swept" never reached this feed and has no TenantCluster any more.
        String goneUid = UUID.randomUUID().toString();
        String service = loadBalancer("swept", goneUid, "web");
        String volume = dataVolume("swept", goneUid);
        String plugged = dataVolume("swept", goneUid);
        management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE).inNamespace(BridgeFixture.NS).resource(
                BridgeFixture.generic("kubevirt.io/v1", "VirtualMachine", "swept-md0-a",
                        Map.of("cluster.x-k8s.io/cluster-name", "swept"), Map.of("runStrategy", "Always",
                                "template", Map.of("spec", Map.of("domain", Map.of("devices", Map.of()), "volumes",
                                        List.of(Map.of("name", plugged, "dataVolume", Map.of("name", plugged,
                                                "hotpluggable", true)))))))).create();
        // "kept" is alive in the API but not (yet) in the feed.
        String liveUid = BridgeFixture.tenantCluster(management, "kept");
        String liveService = loadBalancer("kept", liveUid, "api");
        String liveVolume = dataVolume("kept", liveUid);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(management.services().inNamespace(BridgeFixture.NS).withName(service).get()).isNull();
            assertThat(dataVolume(volume)).isNull();
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.of(BridgeFixture.NS + "/swept"))
                .anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventTypes.LOADBALANCER_DELETED);
                    assertThat(e.subject()).isEqualTo("tenants/acme/clusters/swept");
                    assertThat(e.clusterUid()).isEqualTo(goneUid);
                    assertThat(e.data().path("objectName").asText()).isEqualTo("default/web");
                })
                .anySatisfy(e -> {
                    assertThat(e.type()).isEqualTo(EventTypes.VOLUME_DELETED);
                    assertThat(e.data().path("objectName").asText()).isEqualTo(volume);
                }));
        await().during(SWEEP).atMost(WAIT).untilAsserted(() -> {
            assertThat(dataVolume(plugged)).as("still plugged into a VM").isNotNull();
            assertThat(management.services().inNamespace(BridgeFixture.NS).withName(liveService).get())
                    .as("a live cluster's load balancer").isNotNull();
            assertThat(dataVolume(liveVolume)).as("a live cluster's volume").isNotNull();
        });

        management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE).inNamespace(BridgeFixture.NS)
                .withName("swept-md0-a").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(dataVolume(plugged)).isNull());
    }

    /** A management LoadBalancer Service as csi-bridge makes it for tenant Service default/{@code tenantName}. */
    private String loadBalancer(String cluster, String clusterUid, String tenantName) {
        String name = ("a" + UUID.randomUUID().toString().replace("-", "")).substring(0, 32);
        management.services().inNamespace(BridgeFixture.NS).resource(new ServiceBuilder().withNewMetadata()
                .withName(name).withNamespace(BridgeFixture.NS).withLabels(Map.of(
                        "app.kubernetes.io/managed-by", "nestor-csi-bridge", "nestor.dev/cluster", cluster,
                        "nestor.dev/cluster-uid", clusterUid, "cluster.x-k8s.io/tenant-service-name", tenantName,
                        "cluster.x-k8s.io/tenant-service-namespace", "default"))
                .endMetadata().withNewSpec().withType("LoadBalancer")
                .withSelector(Map.of("cluster.x-k8s.io/cluster-name", cluster, "cluster.x-k8s.io/role", "worker"))
                .addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
        return name;
    }

    /** A DataVolume as csi-bridge makes it for a tenant claim of {@code cluster}. */
    private String dataVolume(String cluster, String clusterUid) {
        String claimUid = UUID.randomUUID().toString();
        GenericKubernetesResource dv = BridgeFixture.generic("cdi.kubevirt.io/v1beta1", "DataVolume",
                "pvc-" + claimUid, Map.of("nestor.dev/volume-of", clusterUid, "app.kubernetes.io/managed-by",
                        "nestor-csi-bridge", "nestor.dev/cluster", cluster),
                Map.of("source", Map.of("blank", Map.of()), "storage", Map.of("resources",
                        Map.of("requests", Map.of("storage", "1Gi")))));
        dv.getMetadata().setAnnotations(Map.of("nestor.dev/tenant-pvc-uid", claimUid));
        management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS).resource(dv)
                .create();
        return dv.getMetadata().getName();
    }

    private GenericKubernetesResource dataVolume(String name) {
        return management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS)
                .withName(name).get();
    }
}
