package dev.nestor.bridge;

import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.events.EventTypes;
import dev.nestor.sandbox.testing.ApiServerResource;
import dev.nestor.sandbox.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tenant PVC of the KubeVirt class becomes a DataVolume in the tenant namespace and a pre-bound PV; an attachment
 * hot-plugs it into the worker VM with the DataVolume's uid as serial; detach, delete and the cross-tenant guard.
 * (The test plays CDI: it marks DataVolumes succeeded.)
 */
@QuarkusTest
@WithTestResource(ApiServerResource.class)
@WithTestResource(KafkaBrokerResource.class)
class VolumeLifecycleTest extends BridgeTestBase {

    @Test
    void aClaimIsProvisionedAttachedDetachedAndDeleted() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "vols")) {
            cluster.worker("vols-md0-a", "10.244.1.7");
            cluster.registerNode("vols-md0-a");
            storageClass(cluster, "kubevirt", Map.of("bus", "scsi"));
            PersistentVolumeClaim claim = claim(cluster, "data", "kubevirt", "5Gi");
            String dvName = "pvc-" + claim.getMetadata().getUid();
            cluster.publish(false);

            GenericKubernetesResource dv = await().atMost(WAIT).until(() -> dataVolume(dvName), dv1 -> dv1 != null);
            assertThat(dv.getMetadata().getLabels()).containsEntry("nestor.dev/volume-of", cluster.uid)
                    .containsEntry("app.kubernetes.io/managed-by", "nestor-csi-bridge");
            assertThat(dv.getMetadata().getAnnotations()).containsEntry("nestor.dev/tenant-pvc-uid",
                    claim.getMetadata().getUid());
            assertThat(BridgeFixture.json(dv.getAdditionalProperties()).at("/spec/storage/resources/requests/storage")
                    .asText()).isEqualTo("5Gi");
            assertThat(BridgeFixture.json(dv.getAdditionalProperties()).at("/spec/source/blank").isObject()).isTrue();
            succeed(dvName);

            PersistentVolume pv = await().atMost(WAIT).until(() -> cluster.tenant.persistentVolumes()
                    .withName(dvName).get(), v -> v != null);
            assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
            assertThat(pv.getSpec().getCsi().getDriver()).isEqualTo("csi.kubevirt.io");
            assertThat(pv.getSpec().getCsi().getVolumeHandle()).isEqualTo(dvName);
            assertThat(pv.getSpec().getCsi().getVolumeAttributes()).containsEntry("serial",
                    dv.getMetadata().getUid()).containsEntry("bus", "scsi");

            attach(cluster, "csi-1", dvName, "vols-md0-a");
            await().atMost(WAIT).untilAsserted(() -> {
                VolumeAttachment va = cluster.tenant.storage().v1().volumeAttachments().withName("csi-1").get();
                assertThat(va.getStatus()).isNotNull();
                assertThat(va.getStatus().getAttached()).isTrue();
            });
            var disks = BridgeFixture.json(vm("vols-md0-a").getAdditionalProperties())
                    .at("/spec/template/spec/domain/devices/disks");
            assertThat(disks.findValuesAsText("serial")).containsExactly(dv.getMetadata().getUid());

            cluster.tenant.storage().v1().volumeAttachments().withName("csi-1").delete();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(cluster.tenant.storage().v1().volumeAttachments().withName("csi-1").get()).isNull();
                assertThat(BridgeFixture.json(vm("vols-md0-a").getAdditionalProperties())
                        .at("/spec/template/spec/volumes").findValuesAsText("name")).doesNotContain(dvName);
            });

            cluster.tenant.persistentVolumeClaims().inNamespace("default").withName("data").delete();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(dataVolume(dvName)).isNull();
                assertThat(cluster.tenant.persistentVolumes().withName(dvName).get()).isNull();
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(events.of(cluster.key()).stream()
                    .map(e -> e.type()).toList()).contains(EventTypes.VOLUME_PROVISIONED,
                    EventTypes.VOLUME_ATTACHED, EventTypes.VOLUME_DETACHED, EventTypes.VOLUME_DELETED));
        }
    }

    @Test
    void aForgedVolumeIsNeverHotPlugged() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "forgery")) {
            cluster.worker("forgery-md0-a", "10.244.1.8");
            // Another live cluster's volume, in the same namespace, as csi-bridge made it for that cluster.
            String victimUid = BridgeFixture.tenantCluster(management, "victim");
            GenericKubernetesResource victim = BridgeFixture.generic("cdi.kubevirt.io/v1beta1", "DataVolume",
                    "pvc-0badc0de-0000-0000-0000-000000000001", Map.of("nestor.dev/volume-of", victimUid,
                            "app.kubernetes.io/managed-by", "nestor-csi-bridge", "nestor.dev/cluster", "victim"),
                    Map.of("source", Map.of("blank", Map.of()), "storage", Map.of("resources",
                            Map.of("requests", Map.of("storage", "1Gi")))));
            victim.getMetadata().setAnnotations(Map.of("nestor.dev/tenant-pvc-uid",
                    "0badc0de-0000-0000-0000-000000000001"));
            management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS)
                    .resource(victim).create();
            cluster.tenant.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata()
                    .withName("stolen").endMetadata().withNewSpec().withCapacity(Map.of("storage", new Quantity("1Gi")))
                    .withAccessModes("ReadWriteOnce").withNewClaimRef().withName("x").withNamespace("default")
                    .withUid("0badc0de-0000-0000-0000-000000000001").endClaimRef()
                    .withNewCsi().withDriver("csi.kubevirt.io")
                    .withVolumeHandle(victim.getMetadata().getName()).endCsi().endSpec().build()).create();
            attach(cluster, "csi-stolen", "stolen", "forgery-md0-a");
            cluster.publish(false);

            await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.tenant.v1().events().inNamespace("default")
                    .list().getItems()).anySatisfy(e -> {
                        assertThat(e.getType()).isEqualTo("Warning");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("stolen");
                    }));
            assertThat(BridgeFixture.json(vm("forgery-md0-a").getAdditionalProperties())
                    .at("/spec/template/spec/volumes").findValuesAsText("name"))
                    .doesNotContain(victim.getMetadata().getName());
            VolumeAttachment va = cluster.tenant.storage().v1().volumeAttachments().withName("csi-stolen").get();
            assertThat(va.getStatus() == null || !Boolean.TRUE.equals(va.getStatus().getAttached())).isTrue();
        }
    }

    @Test
    void aLargerClaimGrowsTheManagementVolume() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "grow")) {
            storageClass(cluster, "kubevirt", Map.of());
            PersistentVolumeClaim claim = claim(cluster, "data", "kubevirt", "1Gi");
            String dvName = "pvc-" + claim.getMetadata().getUid();
            cluster.publish(false);
            await().atMost(WAIT).until(() -> dataVolume(dvName) != null);
            // CDI's PVC behind the DataVolume, bound at the requested size.
            management.persistentVolumeClaims().inNamespace(BridgeFixture.NS).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(dvName).withNamespace(BridgeFixture.NS).endMetadata().withNewSpec()
                    .withAccessModes("ReadWriteOnce").withNewResources()
                    .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();
            capacity(dvName, "1Gi");
            succeed(dvName);
            await().atMost(WAIT).until(() -> cluster.tenant.persistentVolumes().withName(dvName).get() != null);

            cluster.tenant.persistentVolumeClaims().inNamespace("default").withName("data").edit(c -> {
                c.getSpec().getResources().setRequests(Map.of("storage", new Quantity("3Gi")));
                return c;
            });
            await().atMost(WAIT).untilAsserted(() -> assertThat(management.persistentVolumeClaims()
                    .inNamespace(BridgeFixture.NS).withName(dvName).get().getSpec().getResources().getRequests())
                    .containsEntry("storage", new Quantity("3Gi")));
            capacity(dvName, "3Gi");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(cluster.tenant.persistentVolumes().withName(dvName).get().getSpec().getCapacity())
                        .containsEntry("storage", new Quantity("3Gi"));
                assertThat(events.last(cluster.key(), EventTypes.VOLUME_EXPANDED)).isNotNull();
            });
        }
    }

    /** What the infrastructure storage does once it grew the volume. */
    private void capacity(String claim, String size) {
        management.persistentVolumeClaims().inNamespace(BridgeFixture.NS).withName(claim).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status",
                        Map.of("phase", "Bound", "capacity", Map.of("storage", size)))));
    }

    @Test
    void aHotPlugNothingAsksForIsRemoved() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "orphans")) {
            cluster.worker("orphans-md0-a", "10.244.1.9");
            String volume = "pvc-0rphan00-0000-4000-8000-000000000001";
            GenericKubernetesResource dv = BridgeFixture.generic("cdi.kubevirt.io/v1beta1", "DataVolume", volume,
                    Map.of("nestor.dev/volume-of", cluster.uid, "app.kubernetes.io/managed-by", "nestor-csi-bridge",
                            "nestor.dev/cluster", "orphans"),
                    Map.of("source", Map.of("blank", Map.of()), "storage", Map.of("resources",
                            Map.of("requests", Map.of("storage", "1Gi")))));
            String serial = management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS)
                    .resource(dv).create().getMetadata().getUid();
            // Left behind, e.g. by a VolumeAttachment removed while the bridge was away.
            dev.nestor.bridge.volume.Hotplug.add(management, BridgeFixture.NS, "orphans-md0-a", volume, serial, "scsi");
            assertThat(BridgeFixture.json(vm("orphans-md0-a").getAdditionalProperties())
                    .at("/spec/template/spec/volumes").findValuesAsText("name")).contains(volume);
            cluster.publish(false);

            await().atMost(WAIT).untilAsserted(() -> assertThat(BridgeFixture.json(vm("orphans-md0-a")
                    .getAdditionalProperties()).at("/spec/template/spec/volumes").findValuesAsText("name"))
                    .doesNotContain(volume));
        }
    }

    @Test
    void aClassOutsideTheTenantsAllowListIsRefused() throws Exception {
        try (BridgeFixture cluster = new BridgeFixture(management, sender, "premium")) {
            storageClass(cluster, "premium", Map.of("infraStorageClassName", "gold"));
            PersistentVolumeClaim claim = claim(cluster, "fast", "premium", "1Gi");
            cluster.publish(false);

            await().atMost(WAIT).untilAsserted(() -> assertThat(events.last(cluster.key(), EventTypes.VOLUME_FAILED))
                    .isNotNull());
            assertThat(dataVolume("pvc-" + claim.getMetadata().getUid())).isNull();
        }
    }

    private GenericKubernetesResource dataVolume(String name) {
        return management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS)
                .withName(name).get();
    }

    private GenericKubernetesResource vm(String name) {
        return management.genericKubernetesResources(InfraKinds.VIRTUAL_MACHINE).inNamespace(BridgeFixture.NS)
                .withName(name).get();
    }

    /** What CDI does: the DataVolume succeeds. */
    private void succeed(String name) {
        management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(BridgeFixture.NS).withName(name)
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(
                        Map.of("status", Map.of("phase", "Succeeded", "progress", "100.0%"))));
    }

    private static void storageClass(BridgeFixture cluster, String name, Map<String, String> parameters) {
        cluster.tenant.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata()
                .withName(name).endMetadata().withProvisioner("csi.kubevirt.io").withParameters(parameters)
                .withReclaimPolicy("Delete").build()).create();
    }

    private static PersistentVolumeClaim claim(BridgeFixture cluster, String name, String storageClass, String size) {
        return cluster.tenant.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withStorageClassName(storageClass).withAccessModes(List.of("ReadWriteOnce"))
                .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources().endSpec()
                .build()).create();
    }

    private static void attach(BridgeFixture cluster, String name, String pv, String node) {
        cluster.tenant.storage().v1().volumeAttachments().resource(new VolumeAttachmentBuilder().withNewMetadata()
                .withName(name).endMetadata().withNewSpec().withAttacher("csi.kubevirt.io").withNodeName(node)
                .withNewSource().withPersistentVolumeName(pv).endSource().endSpec().build()).create();
    }
}
