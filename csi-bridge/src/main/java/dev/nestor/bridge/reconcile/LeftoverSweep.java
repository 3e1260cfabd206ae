package dev.nestor.bridge.reconcile;

import dev.nestor.events.ObjectKeys;
import dev.nestor.bridge.infra.BridgeLabels;
import dev.nestor.bridge.infra.InfraCache;
import dev.nestor.bridge.infra.InfraKinds;
import dev.nestor.bridge.report.Activities;
import dev.nestor.events.EventTypes;
import dev.nestor.support.feed.ClusterSnapshots;
import dev.nestor.support.feed.TenantClusterPresence;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Removes what csi-bridge made for a cluster that is gone although no replica saw it go (its tombstone arrived while
 * none ran, and cluster-service stopped waiting at its deadline): management DataVolumes and LoadBalancer Services
 * with csi-bridge's managed-by label whose cluster this replica's feed does not know under that uid.
 *
 * <p>The feed's word is never enough: each such cluster is confirmed gone or deleting against the API first
 * ({@link TenantClusterPresence}), and a DataVolume still in an existing VM or instance stays until it is unplugged.
 * Only the replica holding the partition the cluster's key maps to sweeps it (the one that would have cleaned up had
 * it seen the tombstone); deletes are idempotent all the same, across a rebalance, and only a delete that removed an
 * object is reported. A cluster found alive (one the feed has not read yet) is not asked about again for a while.
 */
public final class LeftoverSweep implements Runnable {

    private static final Logger LOG = Logger.getLogger(LeftoverSweep.class);
    private static final String TENANT_LABEL = ObjectKeys.TENANT;
    private static final String TENANT_NAMESPACE_PREFIX = "tenant-";

    private final ClusterSnapshots snapshots;
    private final Predicate<String> ownsPartitionOf;
    private final InfraCache infra;
    private final KubernetesClient management;
    private final Activities activities;
    private final Clock clock;
    private final Duration recheckAlive;
    /** Cluster uids found alive, and until when they are not asked about again. */
    private final Map<String, Instant> alive = new ConcurrentHashMap<>();

    /** The cluster a management object names through its labels. */
    record Owner(String namespace, String cluster, String uid) {
    }

    /** @param ownsPartitionOf whether this replica holds the partition of a cluster key ({@code namespace/name}) */
    public LeftoverSweep(ClusterSnapshots snapshots, Predicate<String> ownsPartitionOf, InfraCache infra,
            KubernetesClient management, Activities activities, Clock clock, Duration recheckAlive) {
        this.snapshots = snapshots;
        this.ownsPartitionOf = ownsPartitionOf;
        this.infra = infra;
        this.management = management;
        this.activities = activities;
        this.clock = clock;
        this.recheckAlive = recheckAlive;
    }

    @Override
    public void run() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log, and try on the next period.
            LOG.warnf("Sweeping the leftovers of deleted clusters failed: %s", e.toString());
        }
    }

    /** One pass over the management caches. */
    void sweep() {
        if (!infra.synced()) {
            return;
        }
        Instant now = clock.instant();
        alive.values().removeIf(until -> !until.isAfter(now));
        Map<Owner, List<HasMetadata>> leftovers = new LinkedHashMap<>();
        infra.allDataVolumes().forEach(dv -> candidate(dv, BridgeLabels.VOLUME_OF, leftovers));
        infra.allLoadBalancers().forEach(service -> candidate(service, BridgeLabels.CLUSTER_UID, leftovers));
        for (Map.Entry<Owner, List<HasMetadata>> entry : leftovers.entrySet()) {
            Owner owner = entry.getKey();
            if (alive.containsKey(owner.uid()) || !ownsPartitionOf.test(owner.namespace() + "/" + owner.cluster())) {
                continue;
            }
            try {
                if (!TenantClusterPresence.goneOrDeleting(management, owner.namespace(), owner.cluster(),
                        owner.uid())) {
                    alive.put(owner.uid(), now.plus(recheckAlive));
                    continue;
                }
                String tenant = tenant(owner.namespace());
                for (HasMetadata object : entry.getValue()) {
                    remove(owner, tenant, object);
                }
            } catch (KubernetesClientException e) {
                // Not knowing is no licence to delete; the next pass asks again.
                LOG.warnf("Could not sweep the leftovers of cluster %s/%s (uid %s): %s", owner.namespace(),
                        owner.cluster(), owner.uid(), e.toString());
            }
        }
    }

    /** Files an object of csi-bridge's under its cluster when the feed does not know that cluster by that uid. */
    private void candidate(HasMetadata object, String uidLabel, Map<Owner, List<HasMetadata>> leftovers) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (labels == null || !BridgeLabels.MANAGER.equals(labels.get(BridgeLabels.MANAGED_BY))) {
            return;
        }
        String cluster = labels.get(BridgeLabels.CLUSTER);
        String uid = labels.get(uidLabel);
        String namespace = object.getMetadata().getNamespace();
        if (cluster == null || uid == null || namespace == null) {
            return;
        }
        boolean known = snapshots.get(namespace + "/" + cluster).filter(s -> s.uid().equals(uid)).isPresent();
        if (!known) {
            leftovers.computeIfAbsent(new Owner(namespace, cluster, uid), o -> new ArrayList<>()).add(object);
        }
    }

    private void remove(Owner owner, String tenant, HasMetadata object) {
        String name = object.getMetadata().getName();
        if (object instanceof Service service) {
            if (!management.services().inNamespace(owner.namespace()).withName(name).delete().isEmpty()) {
                Map<String, String> labels = service.getMetadata().getLabels();
                activities.record(owner.uid(), tenant, owner.namespace(), owner.cluster(),
                        EventTypes.LOADBALANCER_DELETED, "Service", labels.get(BridgeLabels.TENANT_SERVICE_NAMESPACE)
                                + "/" + labels.get(BridgeLabels.TENANT_SERVICE_NAME),
                        owner.namespace() + "/" + name + " deleted: the cluster is gone");
                LOG.infof("Deleted Service %s/%s left by deleted cluster %s/%s", owner.namespace(), name,
                        owner.namespace(), owner.cluster());
            }
            return;
        }
        if (infra.inUse(owner.namespace(), name)) {
            // Its VM is still being torn down: the volume goes once nothing has it plugged in.
            LOG.infof("DataVolume %s/%s of deleted cluster %s is still in a VM: kept for now", owner.namespace(), name,
                    owner.cluster());
            return;
        }
        if (!management.genericKubernetesResources(InfraKinds.DATA_VOLUME).inNamespace(owner.namespace())
                .withName(name).delete().isEmpty()) {
            activities.record(owner.uid(), tenant, owner.namespace(), owner.cluster(), EventTypes.VOLUME_DELETED,
                    "PersistentVolume", name, "DataVolume " + owner.namespace() + "/" + name
                            + " deleted: the cluster is gone");
            LOG.infof("Deleted DataVolume %s/%s left by deleted cluster %s/%s", owner.namespace(), name,
                    owner.namespace(), owner.cluster());
        }
    }

    /** The tenant a namespace belongs to (its {@code nestor.dev/tenant} label, DESIGN §3). */
    private String tenant(String namespace) {
        Namespace found = management.namespaces().withName(namespace).get();
        String labelled = found == null || found.getMetadata().getLabels() == null ? null
                : found.getMetadata().getLabels().get(TENANT_LABEL);
        if (labelled != null) {
            return labelled;
        }
        return namespace.startsWith(TENANT_NAMESPACE_PREFIX) ? namespace.substring(TENANT_NAMESPACE_PREFIX.length())
                : namespace;
    }
}
