package dev.nestor.bridge.reconcile;

import dev.nestor.bridge.config.BridgeConfig;
import dev.nestor.bridge.infra.InfraCache;
import dev.nestor.bridge.lb.LoadBalancerFinalizer;
import dev.nestor.bridge.lb.LoadBalancers;
import dev.nestor.bridge.node.NodeLifecycle;
import dev.nestor.bridge.report.Activities;
import dev.nestor.bridge.report.StateReports;
import dev.nestor.bridge.tenant.TenantConnection;
import dev.nestor.bridge.tenant.TenantConnections;
import dev.nestor.bridge.volume.OrphanedHotplugs;
import dev.nestor.bridge.volume.VolumeAttachments;
import dev.nestor.bridge.volume.VolumeProvisioning;
import dev.nestor.events.payload.BridgeComponentState;
import dev.nestor.events.payload.BridgeStateReport;
import dev.nestor.events.payload.ClusterStateSnapshot;
import dev.nestor.support.feed.ClusterSnapshots;
import dev.nestor.support.feed.TenantClusterPresence;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One reconcile of one cluster, level-triggered from its latest snapshot: connect to (or disconnect from) its tenant
 * API, then the ordered steps — nodes, volumes, load balancers — and the state report. Which wake-up caused the
 * reconcile does not matter.
 */
public final class ClusterReconciler implements Function<String, Optional<Duration>> {

    private static final Logger LOG = Logger.getLogger(ClusterReconciler.class);
    /** How soon to look again at a tenant API that is not reachable. */
    static final Duration RECONNECT_CHECK = Duration.ofSeconds(1);

    /** A named step run against a connected cluster. */
    public interface Step {
        void reconcile(ClusterScope scope);
    }

    /** A step that removes what csi-bridge made for a cluster that is being deleted; true once nothing is left. */
    public interface Cleanup {
        boolean clean(ClusterStateSnapshot cluster);
    }

    private final ClusterSnapshots snapshots;
    private final TenantConnections connections;
    private final KubernetesClient management;
    private final InfraCache infra;
    private final StateReports reports;
    private final Activities activities;
    private final BridgeConfig config;
    private final Clock clock;
    private final List<Step> steps;
    private final List<Cleanup> cleanups;

    public ClusterReconciler(ClusterSnapshots snapshots, TenantConnections connections, KubernetesClient management,
            InfraCache infra, StateReports reports, Activities activities, BridgeConfig config, Clock clock,
            List<Step> steps, List<Cleanup> cleanups) {
        this.snapshots = snapshots;
        this.connections = connections;
        this.management = management;
        this.infra = infra;
        this.reports = reports;
        this.activities = activities;
        this.config = config;
        this.clock = clock;
        this.steps = steps;
        this.cleanups = cleanups;
    }

    /** The steps of csi-bridge in their order. */
    public static List<Step> defaultSteps() {
        return List.of(NodeLifecycle::reconcile, VolumeProvisioning::reconcile, VolumeAttachments::reconcile,
                OrphanedHotplugs::reconcile, LoadBalancers::reconcile);
    }

    @Override
    public Optional<Duration> apply(String key) {
        MDC.put("cluster", key);
        try {
            return reconcile(key);
        } finally {
            MDC.remove("cluster");
        }
    }

    private Optional<Duration> reconcile(String key) {
        Optional<ClusterStateSnapshot> found = snapshots.get(key);
        if (found.isEmpty()) {
            // Deleted (tombstone) or owned by another replica now: its work stops here.
            connections.stop(key);
            reports.forget(key);
            return Optional.empty();
        }
        ClusterStateSnapshot cluster = found.get();
        if (cluster.deleting()) {
            return deleting(cluster);
        }
        if (cluster.kubeconfigSecretName() == null) {
            // Before control-plane-ready: nothing to connect to yet; the next snapshot wakes us.
            return Optional.empty();
        }
        if (!infra.synced()) {
            return Optional.of(RECONNECT_CHECK);
        }
        Optional<TenantConnection> connected = connections.get(key).filter(TenantConnection::connected);
        if (connected.isEmpty()) {
            // Not connected (yet, or any more): the Secret is read again, the endpoint may have moved.
            Optional<String> kubeconfig = kubeconfig(cluster);
            if (kubeconfig.isEmpty()) {
                reports.publish(cluster, report(cluster, false, "the tenant kubeconfig Secret "
                        + cluster.kubeconfigSecretName() + " is not readable yet"));
                return Optional.of(RECONNECT_CHECK);
            }
            TenantConnections.Attempt attempt = connections.ensure(key, kubeconfig.get());
            if (attempt.connection().isEmpty()) {
                return Optional.of(attempt.retryAfter());
            }
            if (!attempt.connection().get().connected()) {
                reports.publish(cluster, report(cluster, false, "the tenant API is not reachable"));
                return Optional.of(RECONNECT_CHECK);
            }
            connected = attempt.connection();
        }
        TenantConnection tenant = connected.get();
        ClusterScope scope = new ClusterScope(cluster, tenant, management, infra, activities, config,
                clock.instant());
        for (Step step : steps) {
            step.reconcile(scope);
        }
        reports.publish(cluster, report(cluster, true, null));
        return scope.requeue();
    }

    /** A cluster being deleted: once the API confirms it, remove what the bridge made and disconnect. */
    private Optional<Duration> deleting(ClusterStateSnapshot cluster) {
        String key = cluster.namespace() + "/" + cluster.name();
        if (!TenantClusterPresence.goneOrDeleting(management, cluster.namespace(), cluster.name(), cluster.uid())) {
            // The snapshot is ahead of (or behind) the API: do nothing destructive until they agree.
            return Optional.of(RECONNECT_CHECK);
        }
        boolean clean = true;
        for (Cleanup cleanup : cleanups) {
            clean &= cleanup.clean(cluster);
        }
        // The management Services are deleted: no tenant Service keeps the bridge's finalizer (the tenant API goes
        // away with the cluster, so this is best effort and only while still connected).
        connections.get(key).filter(TenantConnection::connected).ifPresent(LoadBalancerFinalizer::releaseAll);
        connections.stop(key);
        reports.publish(cluster, report(cluster, false, "the cluster is being deleted"));
        return clean ? Optional.empty() : Optional.of(RECONNECT_CHECK);
    }

    private Optional<String> kubeconfig(ClusterStateSnapshot cluster) {
        Secret secret = management.secrets().inNamespace(cluster.namespace())
                .withName(cluster.kubeconfigSecretName()).get();
        if (secret == null || secret.getData() == null) {
            return Optional.empty();
        }
        for (String key : config.kubeconfigKeys()) {
            String value = secret.getData().get(key);
            if (value != null && !value.isEmpty()) {
                return Optional.of(new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8));
            }
        }
        LOG.warnf("Secret %s/%s holds none of the kubeconfig keys %s", cluster.namespace(),
                cluster.kubeconfigSecretName(), config.kubeconfigKeys());
        return Optional.empty();
    }

    private static BridgeStateReport report(ClusterStateSnapshot cluster, boolean connected, String why) {
        BridgeComponentState state = connected ? new BridgeComponentState(BridgeComponentState.State.Ready, null)
                : new BridgeComponentState(BridgeComponentState.State.NotReady, why);
        return new BridgeStateReport(cluster.uid(), cluster.tenant(), cluster.namespace(), cluster.name(), connected,
                state, state, state);
    }
}
