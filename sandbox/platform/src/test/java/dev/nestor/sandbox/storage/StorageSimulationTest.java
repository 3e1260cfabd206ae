package dev.nestor.sandbox.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nestor.sandbox.apiserver.ApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated CDI, LoadBalancer allocator and tenant built-in controllers do what csi-bridge relies on. */
class StorageSimulationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void cdiImportsBlankVolumesAndTheLoadBalancerHandsOutAddresses() {
        try (ApiServer server = ApiServer.builder().start(); KubernetesClient client = server.newClient();
             ManagementStorage storage = new ManagementStorage(client)) {
            storage.start();
            GenericKubernetesResource dv = Serialization.unmarshal("""
                    apiVersion: cdi.kubevirt.io/v1beta1
                    kind: DataVolume
                    metadata: {name: pvc-1, namespace: default}
                    spec: {source: {blank: {}}, storage: {resources: {requests: {storage: 2Gi}}}}
                    """, GenericKubernetesResource.class);
            client.genericKubernetesResources(ManagementStorage.DATA_VOLUMES).inNamespace("default").resource(dv)
                    .create();
            await().atMost(WAIT).untilAsserted(() -> {
                var live = client.genericKubernetesResources(ManagementStorage.DATA_VOLUMES).inNamespace("default")
                        .withName("pvc-1").get();
                assertThat(Serialization.jsonMapper().valueToTree(live).at("/status/phase").asText())
                        .isEqualTo("Succeeded");
                PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace("default")
                        .withName("pvc-1").get();
                assertThat(claim).isNotNull();
                assertThat(claim.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
            });

            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("lb")
                    .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withPort(80)
                    .withTargetPort(new IntOrString(30080)).endPort().endSpec().build()).create();
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.services().inNamespace("default")
                    .withName("lb").get().getStatus().getLoadBalancer().getIngress()).singleElement()
                    .satisfies(i -> assertThat(i.getIp()).startsWith(ManagementStorage.POOL_PREFIX)));
        }
    }

    @Test
    void tenantControllersAllocateBindAndAttach() {
        try (ApiServer server = ApiServer.builder().upstreamKinds(false).start();
             KubernetesClient client = server.newClient();
             TenantBuiltins builtins = TenantBuiltins.start(client, "t")) {
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().withType("LoadBalancer").addNewPort().withName("http").withPort(80)
                    .endPort().endSpec().build()).create();
            await().atMost(WAIT).untilAsserted(() -> {
                Service web = client.services().inNamespace("default").withName("web").get();
                assertThat(web.getSpec().getClusterIP()).startsWith("10.96.");
                assertThat(web.getSpec().getPorts()).extracting(ServicePort::getNodePort).containsExactly(30000);
            });

            PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace("default").resource(
                    new PersistentVolumeClaimBuilder().withNewMetadata().withName("data").endMetadata()
                            .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                            .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build())
                    .create();
            client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-1")
                    .endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi")))
                    .withAccessModes("ReadWriteOnce").withNewClaimRef().withNamespace("default").withName("data")
                    .withUid(claim.getMetadata().getUid()).endClaimRef().withNewCsi().withDriver("csi.kubevirt.io")
                    .withVolumeHandle("pvc-x").endCsi().endSpec().build()).create();
            await().atMost(WAIT).untilAsserted(() -> {
                PersistentVolumeClaim bound = client.persistentVolumeClaims().inNamespace("default")
                        .withName("data").get();
                assertThat(bound.getSpec().getVolumeName()).isEqualTo("pv-1");
                assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
            });

            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("app")
                    .endMetadata().withNewSpec().withNodeName("w1").addNewContainer().withName("c").withImage("i")
                    .endContainer().addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data")
                    .endPersistentVolumeClaim().endVolume().endSpec().build()).create();
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.storage().v1().volumeAttachments().list()
                    .getItems()).singleElement().satisfies(va -> {
                        assertThat(va.getSpec().getNodeName()).isEqualTo("w1");
                        assertThat(va.getSpec().getAttacher()).isEqualTo("csi.kubevirt.io");
                        assertThat(va.getSpec().getSource().getPersistentVolumeName()).isEqualTo("pv-1");
                    }));

            client.pods().inNamespace("default").withName("app").delete();
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.storage().v1().volumeAttachments().list()
                    .getItems()).isEmpty());
            client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.persistentVolumes().withName("pv-1").get()
                    .getStatus().getPhase()).isEqualTo("Released"));
        }
    }
}
