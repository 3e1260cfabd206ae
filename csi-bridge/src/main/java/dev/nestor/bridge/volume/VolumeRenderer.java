package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects a tenant PVC turns into, as pure functions: the management DataVolume that backs it and, once that
 * succeeded, the tenant PersistentVolume pre-bound to the claim. Identifiers match the KubeVirt CSI driver's (handle =
 * DataVolume name {@code pvc-<tenant PVC uid>}, serial = DataVolume uid), so volumes stay portable.
 */
public final class VolumeRenderer {

    /** The tenant StorageClass parameters the KubeVirt CSI driver defines. */
    public static final String INFRA_STORAGE_CLASS = "infraStorageClassName";
    public static final String BUS = "bus";
    public static final String DEFAULT_BUS = "scsi";
    static final String DELETE_AFTER_COMPLETION = "cdi.kubevirt.io/storage.deleteAfterCompletion";

    private VolumeRenderer() {
    }

    /** The DataVolume (and volume handle) name of a tenant PVC. */
    public static String dataVolumeName(String pvcUid) {
        return BridgeLabels.VOLUME_PREFIX + pvcUid;
    }

    /** A blank DataVolume of the claim's size in the cluster's namespace, labelled and annotated for the guard. */
    public static GenericKubernetesResource dataVolume(String namespace, String cluster, String clusterUid,
            PersistentVolumeClaim claim, StorageClass storageClass) {
        Map<String, String> labels = BridgeLabels.owned(cluster);
        labels.put(BridgeLabels.VOLUME_OF, clusterUid);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(BridgeLabels.TENANT_PVC_UID, claim.getMetadata().getUid());
        annotations.put(DELETE_AFTER_COMPLETION, "false");
        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("resources", Map.of("requests", Map.of("storage", requested(claim).toString())));
        String infraClass = parameter(storageClass, INFRA_STORAGE_CLASS);
        if (infraClass != null) {
            storage.put("storageClassName", infraClass);
        }
        List<String> modes = claim.getSpec().getAccessModes();
        if (modes != null && modes.contains("ReadWriteMany")) {
            storage.put("accessModes", List.of("ReadWriteMany"));
        }
        if ("Block".equals(claim.getSpec().getVolumeMode())) {
            storage.put("volumeMode", "Block");
        }
        GenericKubernetesResource dv = new GenericKubernetesResource();
        dv.setApiVersion("cdi.kubevirt.io/v1beta1");
        dv.setKind("DataVolume");
        dv.setMetadata(new ObjectMetaBuilder().withName(dataVolumeName(claim.getMetadata().getUid()))
                .withNamespace(namespace).withLabels(labels).withAnnotations(annotations).build());
        dv.setAdditionalProperty("spec", Map.of("source", Map.of("blank", Map.of()), "storage", storage));
        return dv;
    }

    /** The tenant PV for a succeeded DataVolume, pre-bound to the claim through {@code claimRef}. */
    public static PersistentVolume persistentVolume(PersistentVolumeClaim claim, StorageClass storageClass,
            String dataVolumeName, String dataVolumeUid) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("serial", dataVolumeUid);
        String bus = parameter(storageClass, BUS);
        attributes.put(BUS, bus == null ? DEFAULT_BUS : bus);
        boolean block = "Block".equals(claim.getSpec().getVolumeMode());
        return new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(dataVolumeName)
                .withLabels(Map.of(BridgeLabels.MANAGED_BY, BridgeLabels.MANAGER))
                .withAnnotations(Map.of("pv.kubernetes.io/provisioned-by", BridgeLabels.CSI_DRIVER))
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", requested(claim)))
                .withAccessModes(claim.getSpec().getAccessModes())
                .withVolumeMode(block ? "Block" : "Filesystem")
                .withStorageClassName(storageClass.getMetadata().getName())
                .withPersistentVolumeReclaimPolicy(storageClass.getReclaimPolicy() == null ? "Delete"
                        : storageClass.getReclaimPolicy())
                .withClaimRef(new ObjectReferenceBuilder().withApiVersion("v1").withKind("PersistentVolumeClaim")
                        .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                        .withUid(claim.getMetadata().getUid()).build())
                .withNewCsi()
                .withDriver(BridgeLabels.CSI_DRIVER)
                .withVolumeHandle(dataVolumeName)
                .withFsType(block ? null : "ext4")
                .withVolumeAttributes(attributes)
                .endCsi()
                .endSpec()
                .build();
    }

    /** The storage a claim requests. */
    public static Quantity requested(PersistentVolumeClaim claim) {
        Map<String, Quantity> requests = claim.getSpec().getResources() == null ? null
                : claim.getSpec().getResources().getRequests();
        return requests == null || requests.get("storage") == null ? new Quantity("1Gi") : requests.get("storage");
    }

    public static String parameter(StorageClass storageClass, String key) {
        return storageClass.getParameters() == null ? null : storageClass.getParameters().get(key);
    }
}
