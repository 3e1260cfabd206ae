package dev.nestor.bridge.reconcile;

import dev.nestor.bridge.config.BridgeConfig;
import dev.nestor.bridge.infra.InfraCache;
import dev.nestor.bridge.infra.WorkerVms;
import dev.nestor.bridge.report.Activities;
import dev.nestor.bridge.tenant.TenantConnection;
import dev.nestor.events.payload.ClusterStateSnapshot;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one reconcile of one cluster works with: the cluster's snapshot, its tenant connection, the management client
 * and caches; steps record here when they want to be called again.
 */
public final class ClusterScope {

    public final ClusterStateSnapshot cluster;
    public final TenantConnection tenant;
    public final KubernetesClient management;
    public final InfraCache infra;
    public final WorkerVms workers;
    public final Activities activities;
    public final BridgeConfig config;
    public final Instant now;
    private Duration requeue;

    public ClusterScope(ClusterStateSnapshot cluster, TenantConnection tenant, KubernetesClient management,
            InfraCache infra, Activities activities, BridgeConfig config, Instant now) {
        this.cluster = cluster;
        this.tenant = tenant;
        this.management = management;
        this.infra = infra;
        this.workers = new WorkerVms(infra);
        this.activities = activities;
        this.config = config;
        this.now = now;
    }

    /** The management namespace of the cluster (its VMs, DataVolumes and LB Services live there). */
    public String namespace() {
        return cluster.namespace();
    }

    public String name() {
        return cluster.name();
    }

    public String key() {
        return cluster.namespace() + "/" + cluster.name();
    }

    /** Asks for another reconcile after {@code delay} at the latest. */
    public void requeueAfter(Duration delay) {
        if (requeue == null || delay.compareTo(requeue) < 0) {
            requeue = delay;
        }
    }

    Optional<Duration> requeue() {
        return Optional.ofNullable(requeue);
    }
}
