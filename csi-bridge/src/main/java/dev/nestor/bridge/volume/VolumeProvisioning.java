package dev.nestor.bridge.volume;

import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.infra.Fields;
import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.bridge.reconcile.ClusterScope;
import dev.nestor.bridge.tenant.TenantWarnings;
import dev.nestor.events.EventTypes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What the KubeVirt CSI controller and its provisioner and resizer sidecars do, for one cluster: a tenant PVC of a
 * {@code csi.kubevirt.io} class becomes a DataVolume and then a pre-bound PV; a released PV's DataVolume and the PV
 * are deleted; a larger request patches the management PVC (DataVolume specs are immutable).
 */
public final class VolumeProvisioning {

    static final PatchContext MERGE = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager(BridgeLabels.MANAGER).build();
    private static final Duration WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(VolumeProvisioning.class);

    private VolumeProvisioning() {
    }

    public static void reconcile(ClusterScope scope) {
        for (PersistentVolumeClaim claim : scope.tenant.claims()) {
            Optional<StorageClass> storageClass = scope.tenant.storageClass(claim.getSpec().getStorageClassName())
                    .filter(sc -> BridgeLabels.CSI_DRIVER.equals(sc.getProvisioner()));
            if (storageClass.isEmpty() || claim.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            ignoringRaces(scope, () -> provision(scope, claim, storageClass.get()));
        }
        for (PersistentVolume volume : scope.tenant.volumes()) {
            if (ours(volume)) {
                ignoringRaces(scope, () -> deleteIfReleased(scope, volume));
            }
        }
    }

    private static void provision(ClusterScope scope, PersistentVolumeClaim claim, StorageClass storageClass) {
        String name = VolumeRenderer.dataVolumeName(claim.getMetadata().getUid());
        Optional<PersistentVolume> volume = scope.tenant.volume(name);
        if (volume.isPresent()) {
            expand(scope, claim, volume.get());
            return;
        }
        Optional<GenericKubernetesResource> dataVolume = scope.infra.dataVolume(scope.namespace(), name);
        if (dataVolume.isEmpty()) {
            String infraClass = VolumeRenderer.parameter(storageClass, VolumeRenderer.INFRA_STORAGE_CLASS);
            if (!StoragePolicy.allows(scope.management.namespaces().withName(scope.namespace()).get(),
                    scope.config.storage().defaultAllowedClasses().orElse(List.of()), infraClass)) {
                String message = "infrastructure storage class " + infraClass + " is not allowed for this tenant";
                if (scope.tenant.once(claim.getMetadata().getUid() + "/ClassNotAllowed/activity")) {
                    scope.activities.record(scope.cluster, EventTypes.VOLUME_FAILED, "PersistentVolumeClaim",
                            objectName(claim), message);
                }
                TenantWarnings.warn(scope.tenant, claim, "ProvisioningFailed", message, scope.now);
                return;
            }
            scope.management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(scope.namespace())
                    .resource(VolumeRenderer.dataVolume(scope.namespace(), scope.name(), scope.cluster.uid(), claim,
                            storageClass))
                    .create();
            scope.requeueAfter(WAIT);
            return;
        }
        GenericKubernetesResource dv = dataVolume.get();
        String phase = Fields.string(dv, "status", "phase");
        if ("Failed".equals(phase)) {
            if (scope.tenant.once(dv.getMetadata().getUid() + "/failed")) {
                scope.activities.record(scope.cluster, EventTypes.VOLUME_FAILED, "PersistentVolumeClaim",
                        objectName(claim), "DataVolume " + name + " failed");
            }
            return;
        }
        if (!"Succeeded".equals(phase)) {
            scope.requeueAfter(WAIT);
            return;
        }
        scope.tenant.client().persistentVolumes().resource(VolumeRenderer.persistentVolume(claim, storageClass, name,
                dv.getMetadata().getUid())).create();
        scope.activities.record(scope.cluster, EventTypes.VOLUME_PROVISIONED, "PersistentVolumeClaim",
                objectName(claim), "PersistentVolume " + name + " backed by DataVolume " + scope.namespace() + "/"
                        + name);
    }

    /** A claim asking for more than its PV holds: grow the management PVC, then the PV and the claim's status. */
    private static void expand(ClusterScope scope, PersistentVolumeClaim claim, PersistentVolume volume) {
        Quantity wanted = VolumeRenderer.requested(claim);
        Quantity has = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
        if (has == null || wanted.getNumericalAmount().compareTo(has.getNumericalAmount()) <= 0) {
            return;
        }
        String name = volume.getMetadata().getName();
        var infraClaim = scope.management.persistentVolumeClaims().inNamespace(scope.namespace()).withName(name);
        PersistentVolumeClaim backing = infraClaim.get();
        if (backing == null) {
            scope.requeueAfter(WAIT);
            return;
        }
        Quantity requested = VolumeRenderer.requested(backing);
        if (requested.getNumericalAmount().compareTo(wanted.getNumericalAmount()) < 0) {
            infraClaim.patch(MERGE, Serialization.asJson(Map.of("spec", Map.of("resources",
                    Map.of("requests", Map.of("storage", wanted.toString()))))));
        }
        Quantity capacity = backing.getStatus() == null || backing.getStatus().getCapacity() == null ? null
                : backing.getStatus().getCapacity().get("storage");
        if (capacity == null || capacity.getNumericalAmount().compareTo(wanted.getNumericalAmount()) < 0) {
            scope.requeueAfter(WAIT);
            return;
        }
        scope.tenant.client().persistentVolumes().withName(name).patch(MERGE, Serialization.asJson(Map.of("spec",
                Map.of("capacity", Map.of("storage", wanted.toString())))));
        scope.tenant.client().persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName()).subresource("status").patch(MERGE,
                        Serialization.asJson(Map.of("status", Map.of("capacity",
                                Map.of("storage", wanted.toString())))));
        scope.activities.record(scope.cluster, EventTypes.VOLUME_EXPANDED, "PersistentVolumeClaim",
                objectName(claim), "expanded to " + wanted);
    }

    /**
     * A PV whose claim is gone (Released, or its claim no longer exists under that uid) with reclaim policy Delete:
     * delete the DataVolume — only one that carries this cluster's label and this claim's uid — then the PV.
     */
    private static void deleteIfReleased(ClusterScope scope, PersistentVolume volume) {
        if (!"Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())
                || volume.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        var claimRef = volume.getSpec().getClaimRef();
        boolean claimPresent = claimRef != null && scope.tenant.claim(claimRef.getNamespace(), claimRef.getName())
                .filter(c -> c.getMetadata().getUid().equals(claimRef.getUid())).isPresent();
        boolean released = volume.getStatus() != null && "Released".equals(volume.getStatus().getPhase());
        if (claimPresent && !released) {
            return;
        }
        String name = volume.getSpec().getCsi().getVolumeHandle();
        if (scope.tenant.attachments().stream().anyMatch(a -> name.equals(a.getSpec().getSource()
                .getPersistentVolumeName()))) {
            // Still attached somewhere: the attach-detach controller detaches first.
            scope.requeueAfter(WAIT);
            return;
        }
        Optional<GenericKubernetesResource> dataVolume = scope.infra.dataVolume(scope.namespace(), name);
        if (dataVolume.isPresent()) {
            if (!VolumeGuard.belongs(dataVolume.get(), scope.cluster.uid(), claimRef == null ? null
                    : claimRef.getUid())) {
                TenantWarnings.warn(scope.tenant, volume, "ForeignVolume", "PersistentVolume "
                        + volume.getMetadata().getName() + " does not name a volume of this cluster", scope.now);
                return;
            }
            scope.management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(scope.namespace())
                    .withName(name).delete();
        }
        scope.tenant.client().persistentVolumes().withName(volume.getMetadata().getName()).delete();
        scope.activities.record(scope.cluster, EventTypes.VOLUME_DELETED, "PersistentVolume",
                volume.getMetadata().getName(), "DataVolume " + scope.namespace() + "/" + name + " deleted");
    }

    /** A PV csi-bridge provisioned (its label and driver). */
    static boolean ours(PersistentVolume volume) {
        Map<String, String> labels = volume.getMetadata().getLabels();
        return labels != null && BridgeLabels.MANAGER.equals(labels.get(BridgeLabels.MANAGED_BY))
                && volume.getSpec().getCsi() != null
                && BridgeLabels.CSI_DRIVER.equals(volume.getSpec().getCsi().getDriver());
    }

    static String objectName(PersistentVolumeClaim claim) {
        return claim.getMetadata().getNamespace() + "/" + claim.getMetadata().getName();
    }

    /** Runs a step for one object; an object that changed or went since the caches saw it is looked at again. */
    static void ignoringRaces(ClusterScope scope, Runnable step) {
        try {
            step.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            LOG.debugf("Looking again at cluster %s after: %s", scope.key(), e.getMessage());
            scope.requeueAfter(Duration.ofMillis(200));
        }
    }
}
