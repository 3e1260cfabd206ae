package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.infra.Fields;
import dev.nestor.bridge.reconcile.ClusterScope;
import dev.nestor.bridge.tenant.TenantWarnings;
import dev.nestor.events.EventTypes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the KubeVirt CSI controller and the external attacher do with tenant VolumeAttachments: hot-plug the
 * DataVolume into the worker VM ({@code addvolume}, serial = DataVolume uid), wait for the instance to report it,
 * set {@code status.attached}; on deletion unplug it ({@code removevolume}, from the instance too when only it still
 * has the volume) before the attacher finalizer goes.
 */
public final class VolumeAttachments {

    private static final Logger LOG = Logger.getLogger(VolumeAttachments.class);
    /** The external attacher's finalizer for this driver. */
    public static final String FINALIZER = "external-attacher/csi-kubevirt-io";
    private static final Duration POLL = Duration.ofSeconds(1);

    private VolumeAttachments() {
    }

    public static void reconcile(ClusterScope scope) {
        for (VolumeAttachment attachment : scope.tenant.attachments()) {
            if (BridgeLabels.CSI_DRIVER.equals(attachment.getSpec().getAttacher())) {
                VolumeProvisioning.ignoringRaces(scope, () -> reconcile(scope, attachment));
            }
        }
    }

    private static void reconcile(ClusterScope scope, VolumeAttachment attachment) {
        String pvName = attachment.getSpec().getSource().getPersistentVolumeName();
        Optional<PersistentVolume> volume = pvName == null ? Optional.empty() : scope.tenant.volume(pvName);
        Optional<Target> target = volume.flatMap(pv -> target(scope, attachment, pv));
        boolean deleting = attachment.getMetadata().getDeletionTimestamp() != null;
        if (deleting) {
            if (target.isEmpty() || detach(scope, target.get())) {
                setFinalizer(scope, attachment, false);
                target.ifPresent(t -> scope.activities.record(scope.cluster, EventTypes.VOLUME_DETACHED,
                        "VolumeAttachment", attachment.getMetadata().getName(), t.dataVolume() + " unplugged from "
                                + t.vm()));
            }
            return;
        }
        if (target.isEmpty() || attached(attachment)) {
            return;
        }
        setFinalizer(scope, attachment, true);
        Target t = target.get();
        if (!inVmSpec(scope, t)) {
            String elsewhere = attachedElsewhere(scope, t);
            if (elsewhere != null && !"ReadWriteMany".equals(accessMode(volume.get()))) {
                attachError(scope, attachment, "volume is attached to another VM: " + elsewhere);
                return;
            }
            LOG.infof("Hot-plugging %s into %s/%s for VolumeAttachment %s", t.dataVolume(), scope.namespace(), t.vm(),
                    attachment.getMetadata().getName());
            Hotplug.add(scope.management, scope.namespace(), t.vm(), t.dataVolume(), t.serial(), t.bus());
        }
        if (readyInInstance(scope, t)) {
            scope.tenant.client().storage().v1().volumeAttachments().withName(attachment.getMetadata().getName())
                    .subresource("status").patch(VolumeProvisioning.MERGE, Serialization.asJson(Map.of("status",
                            Map.of("attached", true, "attachmentMetadata", Map.of("serial", t.serial())))));
            scope.activities.record(scope.cluster, EventTypes.VOLUME_ATTACHED, "VolumeAttachment",
                    attachment.getMetadata().getName(), t.dataVolume() + " hot-plugged into " + t.vm());
            return;
        }
        LOG.debugf("Waiting for %s/%s to report %s ready", scope.namespace(), t.vm(), t.dataVolume());
        Instant created = Instant.parse(attachment.getMetadata().getCreationTimestamp());
        if (created.plus(scope.config.operationTimeout()).isBefore(scope.now)) {
            attachError(scope, attachment, "the hot-plug of " + t.dataVolume() + " into " + t.vm()
                    + " did not become ready within " + scope.config.operationTimeout());
        }
        scope.requeueAfter(POLL);
    }

    /** What an attachment resolves to on the management side, every part checked against the cluster's objects. */
    record Target(String vm, String dataVolume, String serial, String bus) {
    }

    private static Optional<Target> target(ClusterScope scope, VolumeAttachment attachment, PersistentVolume pv) {
        if (pv.getSpec().getCsi() == null || !BridgeLabels.CSI_DRIVER.equals(pv.getSpec().getCsi().getDriver())) {
            return Optional.empty();
        }
        String handle = pv.getSpec().getCsi().getVolumeHandle();
        String claimUid = pv.getSpec().getClaimRef() == null ? null : pv.getSpec().getClaimRef().getUid();
        Optional<GenericKubernetesResource> dataVolume = handle == null ? Optional.empty()
                : scope.infra.dataVolume(scope.namespace(), handle)
                        .filter(dv -> VolumeGuard.belongs(dv, scope.cluster.uid(), claimUid));
        if (dataVolume.isEmpty()) {
            LOG.infof("VolumeAttachment %s: PersistentVolume %s names no DataVolume of this cluster",
                    attachment.getMetadata().getName(), pv.getMetadata().getName());
            TenantWarnings.warn(scope.tenant, pv, "ForeignVolume", "PersistentVolume " + pv.getMetadata().getName()
                    + " does not name a volume of this cluster: it is not attached", scope.now);
            return Optional.empty();
        }
        String node = attachment.getSpec().getNodeName();
        Optional<String> vm = scope.workers.vmName(scope.namespace(), scope.name(), node)
                .filter(name -> scope.workers.vm(scope.namespace(), scope.name(), name).isPresent()
                        || scope.workers.instance(scope.namespace(), scope.name(), name).isPresent());
        if (vm.isEmpty()) {
            LOG.infof("VolumeAttachment %s: node %s is not a worker of this cluster", attachment.getMetadata().getName(),
                    node);
            TenantWarnings.warn(scope.tenant, attachment, "UnknownNode", "Node " + node
                    + " is not a worker of this cluster: nothing is attached", scope.now);
            return Optional.empty();
        }
        Map<String, String> attributes = Objects.requireNonNullElse(pv.getSpec().getCsi().getVolumeAttributes(),
                Map.of());
        String bus = attributes.getOrDefault(VolumeRenderer.BUS, VolumeRenderer.DEFAULT_BUS);
        // The serial is the management DataVolume's uid, never what the tenant wrote into the PV.
        return Optional.of(new Target(vm.get(), handle, dataVolume.get().getMetadata().getUid(), bus));
    }

    /** Unplugs; true once neither the VM spec nor its instance has the volume. */
    private static boolean detach(ClusterScope scope, Target t) {
        if (inVmSpec(scope, t)) {
            Hotplug.remove(scope.management, scope.namespace(), "virtualmachines", t.vm(), t.dataVolume());
            scope.requeueAfter(POLL);
            return false;
        }
        if (inInstance(scope, t)) {
            Hotplug.remove(scope.management, scope.namespace(), "virtualmachineinstances", t.vm(), t.dataVolume());
            scope.requeueAfter(POLL);
            return false;
        }
        return true;
    }

    private static boolean inVmSpec(ClusterScope scope, Target t) {
        return scope.workers.vm(scope.namespace(), scope.name(), t.vm())
                .map(vm -> Fields.list(vm, "spec", "template", "spec", "volumes").stream()
                        .anyMatch(v -> t.dataVolume().equals(v.get("name"))))
                .orElse(false);
    }

    private static boolean inInstance(ClusterScope scope, Target t) {
        return volumeStatus(scope, t.vm(), t.dataVolume()).isPresent();
    }

    private static boolean readyInInstance(ClusterScope scope, Target t) {
        return volumeStatus(scope, t.vm(), t.dataVolume()).map(s -> "Ready".equals(s.get("phase"))).orElse(false);
    }

    private static Optional<Map<String, Object>> volumeStatus(ClusterScope scope, String vm, String dataVolume) {
        return scope.workers.instance(scope.namespace(), scope.name(), vm)
                .flatMap(vmi -> Fields.list(vmi, "status", "volumeStatus").stream()
                        .filter(s -> dataVolume.equals(s.get("name"))).findFirst());
    }

    /** Another of the cluster's instances that has the volume, or null. */
    private static String attachedElsewhere(ClusterScope scope, Target t) {
        return scope.infra.instances(scope.key()).stream()
                .filter(vmi -> !t.vm().equals(vmi.getMetadata().getName()))
                .filter(vmi -> Fields.list(vmi, "status", "volumeStatus").stream()
                        .anyMatch(s -> t.dataVolume().equals(s.get("name"))))
                .map(vmi -> vmi.getMetadata().getName()).findFirst().orElse(null);
    }

    private static String accessMode(PersistentVolume pv) {
        List<String> modes = pv.getSpec().getAccessModes();
        return modes == null || modes.isEmpty() ? "ReadWriteOnce" : modes.get(0);
    }

    private static boolean attached(VolumeAttachment attachment) {
        return attachment.getStatus() != null && Boolean.TRUE.equals(attachment.getStatus().getAttached());
    }

    private static void attachError(ClusterScope scope, VolumeAttachment attachment, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("time", scope.now.toString());
        scope.tenant.client().storage().v1().volumeAttachments().withName(attachment.getMetadata().getName())
                .subresource("status").patch(VolumeProvisioning.MERGE, Serialization.asJson(Map.of("status",
                        Map.of("attached", false, "attachError", error))));
        if (scope.tenant.once(attachment.getMetadata().getUid() + "/attach-failed")) {
            scope.activities.record(scope.cluster, EventTypes.VOLUME_FAILED, "VolumeAttachment",
                    attachment.getMetadata().getName(), message);
        }
    }

    private static void setFinalizer(ClusterScope scope, VolumeAttachment attachment, boolean present) {
        List<String> finalizers = new ArrayList<>(Objects.requireNonNullElse(attachment.getMetadata().getFinalizers(),
                List.of()));
        if (finalizers.contains(FINALIZER) == present) {
            return;
        }
        if (present) {
            finalizers.add(FINALIZER);
        } else {
            finalizers.remove(FINALIZER);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("finalizers", finalizers);
        metadata.put("resourceVersion", attachment.getMetadata().getResourceVersion());
        scope.tenant.client().storage().v1().volumeAttachments().withName(attachment.getMetadata().getName())
                .patch(VolumeProvisioning.MERGE, Serialization.asJson(Map.of("metadata", metadata)));
    }
}
