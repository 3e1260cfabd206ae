package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;

/**
 * The cross-tenant guard on DataVolumes (the lesson of CVE-2024-1725): csi-bridge acts on a DataVolume only when it
 * carries the cluster's volume label, the {@code pvc-} prefix, and the uid of the tenant claim it serves.
 */
public final class VolumeGuard {

    private VolumeGuard() {
    }

    public static boolean belongs(GenericKubernetesResource dataVolume, String clusterUid, String claimUid) {
        Map<String, String> labels = dataVolume.getMetadata().getLabels();
        Map<String, String> annotations = dataVolume.getMetadata().getAnnotations();
        String name = dataVolume.getMetadata().getName();
        return labels != null && clusterUid.equals(labels.get(BridgeLabels.VOLUME_OF))
                && name.startsWith(BridgeLabels.VOLUME_PREFIX)
                && claimUid != null && annotations != null
                && claimUid.equals(annotations.get(BridgeLabels.TENANT_PVC_UID))
                && name.equals(VolumeRenderer.dataVolumeName(claimUid));
    }
}
