package dev.nestor.autoscaler.reconcile;

import dev.nestor.autoscaler.apply.ManagementSide;
import dev.nestor.autoscaler.apply.TenantConnection;
import dev.nestor.autoscaler.apply.TenantConnections;
import dev.nestor.autoscaler.apply.TenantSide;
import dev.nestor.autoscaler.messaging.Reports;
import dev.nestor.autoscaler.render.AutoscalerImages;
import dev.nestor.autoscaler.render.AutoscalerInput;
import dev.nestor.autoscaler.render.ManagementRenderer;
import dev.nestor.autoscaler.render.NodeGroup;
import dev.nestor.autoscaler.render.NodeGroups;
import dev.nestor.autoscaler.render.ScaleDownSettings;
import dev.nestor.autoscaler.render.TenantKubeconfig;
import dev.nestor.autoscaler.render.TenantRenderer;
import dev.nestor.events.payload.AutoscalerStateReport.State;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.events.payload.ConditionData;
import dev.nestor.support.feed.TenantClusterPresence;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The level-triggered loop of one cluster (DESIGN §5.3, §7): from the latest snapshot and the observed
 * MachineDeployments it decides whether the cluster needs an autoscaler, sets one up in both clusters or removes it,
 * and reports the outcome. It never asks what woke it; every call re-observes.
 */
public final class AutoscalerReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(AutoscalerReconciler.class);
    static final Duration WAIT_FOR_TOKEN = Duration.ofSeconds(2);
    static final Duration WAIT_FOR_AVAILABILITY = Duration.ofSeconds(5);
    static final Duration RECHECK_DELETION = Duration.ofSeconds(10);

    /** What the reconciler reads, so tests can hand it a fixed world. */
    public record Inputs(Function<String, Optional<ClusterStateSnapshot>> snapshots, Predicate<String> owns,
            Function<String, List<GenericKubernetesResource>> machineDeploymentsIn) {
    }

    private final KubernetesClient management;
    private final ManagementSide managementSide;
    private final TenantConnections tenants;
    private final AutoscalerImages images;
    private final Reports reports;
    private final Inputs inputs;
    private final Clock clock;
    private final Duration availabilityDeadline;
    /** The last snapshot of each key, for the cleanup after its tombstone (which carries nothing). */
    private final Map<String, ClusterStateSnapshot> lastSnapshots = new ConcurrentHashMap<>();
    /** Clusters whose tenant holds (or may hold) the autoscaler's identity. */
    private final Set<String> tenantIdentities = ConcurrentHashMap.newKeySet();
    /**
     * Clusters this replica has already cleared since it last set anything up for them: a cluster that does not
     * autoscale is woken by every MachineDeployment status change, and need not cost five DELETEs each time.
     */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();

    public AutoscalerReconciler(KubernetesClient management, TenantConnections tenants, AutoscalerImages images,
            Reports reports, Inputs inputs, Clock clock, Duration availabilityDeadline) {
        this.management = management;
        this.managementSide = new ManagementSide(management);
        this.tenants = tenants;
        this.images = images;
        this.reports = reports;
        this.inputs = inputs;
        this.clock = clock;
        this.availabilityDeadline = availabilityDeadline;
    }

    /** Reconciles the cluster with record key {@code <namespace>/<name>}; the result asks to be called again. */
    public Optional<Duration> reconcile(String key) {
        MDC.put("kind", "TenantCluster");
        MDC.put("cluster", key);
        MDC.put("reconcileId", UUID.randomUUID().toString().substring(0, 8));
        try {
            Optional<ClusterStateSnapshot> snapshot = inputs.snapshots().apply(key);
            if (snapshot.isEmpty()) {
                return forgotten(key);
            }
            ClusterStateSnapshot cluster = snapshot.get();
            lastSnapshots.put(key, cluster);
            List<NodeGroup> groups = NodeGroups.of(cluster.name(), inputs.machineDeploymentsIn().apply(cluster.namespace()));
            if (cluster.deleting()) {
                return deleting(key, cluster, groups);
            }
            if (!NodeGroups.anyAutoscaled(groups)) {
                remove(key, cluster, false);
                reports.report(cluster, State.NotRequired, "no node group autoscales", null, groups);
                return Optional.empty();
            }
            return configure(key, cluster, groups);
        } finally {
            MDC.remove("kind");
            MDC.remove("cluster");
            MDC.remove("reconcileId");
        }
    }

    private Optional<Duration> configure(String key, ClusterStateSnapshot cluster, List<NodeGroup> groups) {
        if (!controlPlaneReady(cluster)) {
            return Optional.empty(); // the snapshot that says it is ready wakes us
        }
        String version = cluster.version() != null ? cluster.version() : cluster.spec().path("version").asText(null);
        Optional<String> image = images.imageFor(version);
        if (image.isEmpty()) {
            reports.report(cluster, State.Failed, "no cluster-autoscaler image is configured for Kubernetes "
                    + AutoscalerImages.minor(version).orElse(String.valueOf(version)), null, groups);
            return Optional.empty();
        }
        Optional<TenantConnection> tenant = tenants.connect(key, cluster.namespace(), cluster.kubeconfigSecretName());
        if (tenant.isEmpty()) {
            return Optional.of(WAIT_FOR_TOKEN);
        }
        ScaleDownSettings settings = ScaleDownSettings.from(cluster.spec());
        tenantIdentities.add(key);
        removed.remove(key);
        TenantSide.apply(tenant.get().client(), TenantRenderer.render(cluster.name(), settings));
        Optional<String> token = TenantSide.token(tenant.get().client());
        if (token.isEmpty()) {
            LOG.debug("Waiting for the tenant's token controller to fill the autoscaler's token");
            return Optional.of(WAIT_FOR_TOKEN);
        }
        String kubeconfig = new TenantKubeconfig(tenant.get().server(), tenant.get().certificateAuthorityData(),
                token.get()).render(cluster.name());
        managementSide.apply(ManagementRenderer.render(new AutoscalerInput(cluster.namespace(), cluster.name(), version,
                image.get(), settings, kubeconfig)));
        Availability.Result availability = Availability.of(managementSide.deployment(cluster.namespace(),
                cluster.name()), clock.instant(), availabilityDeadline);
        switch (availability.verdict()) {
            case AVAILABLE -> reports.report(cluster, State.Configured, availability.message(), image.get(), groups);
            case FAILED -> reports.report(cluster, State.Failed, availability.message(), image.get(), groups);
            case PENDING -> {
                return Optional.of(WAIT_FOR_AVAILABILITY);
            }
        }
        return Optional.empty();
    }

    private Optional<Duration> deleting(String key, ClusterStateSnapshot cluster, List<NodeGroup> groups) {
        if (!TenantClusterPresence.goneOrDeleting(management, cluster.namespace(), cluster.name(), cluster.uid())) {
            return Optional.of(RECHECK_DELETION); // a stale snapshot is no licence to tear down
        }
        remove(key, cluster, true);
        reports.report(cluster, State.Removed, "the cluster is being deleted", null, groups);
        return Optional.empty();
    }

    /** After a tombstone (the cluster is deleted) or a revoked partition (another replica owns it now). */
    private Optional<Duration> forgotten(String key) {
        ClusterStateSnapshot last = lastSnapshots.get(key);
        if (inputs.owns().test(key) && last != null) {
            if (!TenantClusterPresence.goneOrDeleting(management, last.namespace(), last.name(), last.uid())) {
                return Optional.of(RECHECK_DELETION);
            }
            remove(key, last, true);
        } else if (inputs.owns().test(key)) {
            // deleted while this replica was down: nothing remembered, so only the name tells what is left
            String[] nameParts = key.split("/", 2);
            if (management.genericKubernetesResources(TenantClusterPresence.TENANT_CLUSTERS).inNamespace(nameParts[0])
                    .withName(nameParts[1]).get() == null) {
                managementSide.remove(nameParts[0], nameParts[1]);
            }
        }
        lastSnapshots.remove(key);
        removed.remove(key);
        tenantIdentities.remove(key);
        tenants.forget(key);
        reports.forget(key);
        return Optional.empty();
    }

    /**
     * Removes the autoscaler: the Deployment first, then its identity in both clusters. A cluster being deleted may
     * no longer answer, so there the tenant side is best effort; a live tenant that fails is retried (the failure
     * propagates to the work queue's backoff).
     */
    private void remove(String key, ClusterStateSnapshot cluster, boolean clusterDeleting) {
        if (removed.contains(key)) {
            return;
        }
        boolean hadManagementObjects = managementSide.remove(cluster.namespace(), cluster.name());
        if (hadManagementObjects) {
            tenantIdentities.add(key);
            LOG.info("Removed the cluster-autoscaler of {}", key);
        }
        if (tenantIdentities.contains(key) && cluster.kubeconfigSecretName() != null) {
            try {
                tenants.connect(key, cluster.namespace(), cluster.kubeconfigSecretName())
                        .ifPresent(t -> TenantSide.remove(t.client()));
            } catch (RuntimeException e) {
                if (!clusterDeleting) {
                    throw e;
                }
                LOG.info("Could not remove the autoscaler identity from deleting tenant {}: {}", key, e.toString());
            }
        }
        tenantIdentities.remove(key);
        tenants.forget(key);
        removed.add(key);
    }

    static boolean controlPlaneReady(ClusterStateSnapshot cluster) {
        return cluster.kubeconfigSecretName() != null && cluster.conditions().stream()
                .filter(c -> "ControlPlaneReady".equals(c.type())).map(ConditionData::status)
                .anyMatch("True"::equals);
    }
}
