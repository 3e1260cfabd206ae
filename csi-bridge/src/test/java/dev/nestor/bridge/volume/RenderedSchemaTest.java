package dev.nestor.bridge.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.bridge.lb.LoadBalancerRenderer;
import dev.nestor.sandbox.apiserver.SchemaValidator;
import dev.nestor.sandbox.testing.ReactorPaths;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What csi-bridge renders: the DataVolume validates against CDI's schema; the PV and LB Service carry exactly what DESIGN §8 allows. */
class RenderedSchemaTest {

    static final PersistentVolumeClaim CLAIM = new PersistentVolumeClaimBuilder().withNewMetadata().withName("data")
            .withNamespace("default").withUid("4f1c2d3e-0000-4000-8000-00000000abcd").endMetadata().withNewSpec()
            .withAccessModes("ReadWriteMany").withVolumeMode("Block").withStorageClassName("kubevirt")
            .withNewResources().withRequests(Map.of("storage", new Quantity("3Gi"))).endResources().endSpec().build();
    static final StorageClass CLASS = new StorageClassBuilder().withNewMetadata().withName("kubevirt").endMetadata()
            .withProvisioner("csi.kubevirt.io").withParameters(Map.of("infraStorageClassName", "gold", "bus", "scsi"))
            .build();

    @Test
    void theDataVolumeValidatesAgainstCdi() {
        var upstream = ReactorPaths.upstreamCrds();
        assumeTrue(upstream.isPresent(), "../shared/crds is absent: upstream schema validation skipped");
        SchemaValidator validator = SchemaValidator.load(upstream.get());
        GenericKubernetesResource dv = VolumeRenderer.dataVolume("tenant-acme", "demo", "cluster-uid", CLAIM, CLASS);
        JsonNode object = Serialization.jsonMapper().valueToTree(dv);
        assertThat(validator.knows(dv.getApiVersion(), dv.getKind())).isTrue();
        assertThat(validator.validate(dv.getApiVersion(), dv.getKind(), object)).isEmpty();
        assertThat(validator.prunedFields(dv.getApiVersion(), dv.getKind(), object)).isEmpty();
        assertThat(dv.getMetadata().getName()).isEqualTo("pvc-4f1c2d3e-0000-4000-8000-00000000abcd");
        assertThat(object.at("/spec/storage/storageClassName").asText()).isEqualTo("gold");
        assertThat(object.at("/spec/storage/accessModes/0").asText()).isEqualTo("ReadWriteMany");
    }

    @Test
    void thePersistentVolumeIsPreBoundWithTheDriversIdentifiers() {
        PersistentVolume pv = VolumeRenderer.persistentVolume(CLAIM, CLASS, "pvc-x", "dv-uid");
        assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(CLAIM.getMetadata().getUid());
        assertThat(pv.getSpec().getCsi().getVolumeAttributes()).containsExactlyInAnyOrderEntriesOf(Map.of("serial", "dv-uid",
                "bus", "scsi"));
        assertThat(pv.getSpec().getCsi().getFsType()).as("block volumes have no filesystem").isNull();
        assertThat(pv.getSpec().getVolumeMode()).isEqualTo("Block");
    }

    @Test
    void theLoadBalancerCopiesOnlyPortsProtocolsAndAllowedThings() {
        Service tenant = new ServiceBuilder().withNewMetadata().withName("web").withNamespace("shop")
                .withUid("0123e4567-e89b-12d3-a456-426614174000-extra").withAnnotations(Map.of("ok", "1", "no", "2"))
                .endMetadata().withNewSpec().withType("LoadBalancer").withExternalIPs("203.0.113.1")
                .withLoadBalancerIP("192.0.2.5").withExternalTrafficPolicy("Local").addNewPort().withName("dns")
                .withProtocol("UDP").withPort(53).withTargetPort(new IntOrString(5353)).withNodePort(31053).endPort()
                .endSpec().build();
        Service lb = LoadBalancerRenderer.render("tenant-acme", "demo", "uid", tenant, Set.of("192.0.2.5"),
                Set.of("ok"));
        assertThat(lb.getMetadata().getName()).hasSize(32).startsWith("a0123e4567e89b12d3");
        assertThat(lb.getSpec().getExternalIPs()).isNullOrEmpty();
        assertThat(lb.getSpec().getExternalTrafficPolicy()).isNull();
        assertThat(lb.getSpec().getLoadBalancerIP()).isEqualTo("192.0.2.5");
        assertThat(lb.getMetadata().getAnnotations()).containsOnlyKeys("ok");
        assertThat(lb.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getProtocol()).isEqualTo("UDP");
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(31053);
        });
        assertThat(LoadBalancerRenderer.render("tenant-acme", "demo", "uid", tenant, Set.of(), Set.of())
                .getSpec().getLoadBalancerIP()).as("an address outside the pool").isNull();
    }
}
