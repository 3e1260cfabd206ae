package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.infra.Fields;
import dev.nestor.bridge.reconcile.ClusterScope;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Removes hot-plugs nothing asks for any more (the orphaned hot-plugs of kubevirt/csi-driver #182): a {@code pvc-}
 * volume of this cluster in a worker VM's spec, or only in its instance's status, with no tenant VolumeAttachment
 * for that volume and node. Only the cluster's own DataVolumes are touched.
 */
public final class OrphanedHotplugs {

    private OrphanedHotplugs() {
    }

    public static void reconcile(ClusterScope scope) {
        Set<String> wanted = new HashSet<>();
        for (VolumeAttachment attachment : scope.tenant.attachments()) {
            String pvName = attachment.getSpec().getSource().getPersistentVolumeName();
            Optional<PersistentVolume> pv = pvName == null ? Optional.empty() : scope.tenant.volume(pvName);
            Optional<String> vm = scope.workers.vmName(scope.namespace(), scope.name(),
                    attachment.getSpec().getNodeName());
            if (pv.isPresent() && pv.get().getSpec().getCsi() != null && vm.isPresent()) {
                wanted.add(vm.get() + "/" + pv.get().getSpec().getCsi().getVolumeHandle());
            }
        }
        for (GenericKubernetesResource vm : scope.infra.virtualMachines(scope.key())) {
            String name = vm.getMetadata().getName();
            for (Map<String, Object> volume : Fields.list(vm, "spec", "template", "spec", "volumes")) {
                String volumeName = String.valueOf(volume.get("name"));
                boolean hotplugged = Boolean.TRUE.equals(Fields.at(volume, "dataVolume", "hotpluggable"));
                if (hotplugged && orphan(scope, wanted, name, volumeName)) {
                    VolumeProvisioning.ignoringRaces(scope, () -> Hotplug.remove(scope.management,
                            scope.namespace(), "virtualmachines", name, volumeName));
                }
            }
        }
        for (GenericKubernetesResource vmi : scope.infra.instances(scope.key())) {
            String name = vmi.getMetadata().getName();
            for (Map<String, Object> status : Fields.list(vmi, "status", "volumeStatus")) {
                String volumeName = String.valueOf(status.get("name"));
                boolean specHasIt = scope.infra.virtualMachine(scope.namespace(), name)
                        .map(vm -> Fields.list(vm, "spec", "template", "spec", "volumes").stream()
                                .anyMatch(v -> volumeName.equals(v.get("name")))).orElse(false);
                if (status.get("hotplugVolume") != null && !specHasIt
                        && orphan(scope, wanted, name, volumeName)) {
                    // The VM lost it (or is gone) but the instance still holds it: unplug from the instance.
                    VolumeProvisioning.ignoringRaces(scope, () -> Hotplug.remove(scope.management,
                            scope.namespace(), "virtualmachineinstances", name, volumeName));
                }
            }
        }
    }

    private static boolean orphan(ClusterScope scope, Set<String> wanted, String vm, String volume) {
        if (!volume.startsWith(BridgeLabels.VOLUME_PREFIX) || wanted.contains(vm + "/" + volume)) {
            return false;
        }
        return scope.infra.dataVolume(scope.namespace(), volume)
                .map(dv -> scope.cluster.uid().equals(Fields.label(dv, BridgeLabels.VOLUME_OF)))
                .orElse(false);
    }
}
