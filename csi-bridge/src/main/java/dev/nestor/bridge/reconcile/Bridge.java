package dev.nestor.bridge.reconcile;

import dev.nestor.bridge.config.BridgeConfig;
import dev.nestor.bridge.infra.InfraCache;
import dev.nestor.bridge.lb.LoadBalancerCleanup;
import dev.nestor.bridge.report.Activities;
import dev.nestor.bridge.report.StateReports;
import dev.nestor.bridge.tenant.TenantConnections;
import dev.nestor.bridge.volume.StorageCleanup;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.support.feed.ClusterFeed;
import dev.nestor.support.feed.EventSender;
import dev.nestor.support.work.WorkQueue;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One csi-bridge replica: the cluster feed (clusters split between replicas by the Kafka partitions each owns, DESIGN
 * §10), one work queue keyed by cluster, the management caches and the tenant connections. Every wake-up — a
 * snapshot, a lifecycle event, a resync, a management or tenant object changing — only enqueues the cluster. A
 * periodic {@link LeftoverSweep} removes what clusters deleted while no replica ran left behind.
 */
public final class Bridge implements AutoCloseable {

    /** How many resync periods a cluster found alive by the leftover sweep is not asked about again. */
    private static final int RECHECK_ALIVE_PERIODS = 10;

    private final ScheduledExecutorService executor;
    private final EventSender sender;
    private final InfraCache infra;
    private final TenantConnections connections;
    private final WorkQueue<String> queue;
    private final ClusterFeed feed;

    /** Builds and starts a replica; returns at once. */
    public Bridge(KubernetesClient management, HttpClient.Factory tenantHttpClients, BridgeConfig config,
            String bootstrapServers, MeterRegistry metrics) {
        Clock clock = Clock.systemUTC();
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "csi-bridge-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        sender = new EventSender(bootstrapServers);
        ClusterReconciler[] reconciler = new ClusterReconciler[1];
        queue = new WorkQueue<>("csi-bridge", metrics, executor, key -> reconciler[0].apply(key));
        infra = new InfraCache(management, queue::add);
        connections = new TenantConnections(tenantHttpClients, config.connectInterval(), clock, queue::add);
        feed = ClusterFeed.builder(bootstrapServers, ConsumerGroups.CSI_BRIDGE)
                .onWake(queue::add)
                // Before another replica reads these clusters: close their connections now; queued work finds no
                // snapshot and stops.
                .onRevoked(keys -> keys.forEach(connections::stop))
                .resync(config.resync())
                .metrics(metrics)
                .build();
        Activities activities = new Activities(sender, clock);
        reconciler[0] = new ClusterReconciler(feed.snapshots(), connections, management, infra,
                new StateReports(sender, clock, config.resync()), activities, config, clock,
                ClusterReconciler.defaultSteps(),
                List.of(new StorageCleanup(management), new LoadBalancerCleanup(management)));
        // Leftovers of clusters deleted while no replica ran: once the caches and the feed had a period to fill, then
        // every period.
        long period = config.resync().toMillis();
        executor.scheduleWithFixedDelay(new LeftoverSweep(feed.snapshots(), feed::ownsPartitionOf, infra, management,
                activities, clock, config.resync().multipliedBy(RECHECK_ALIVE_PERIODS)), period, period,
                TimeUnit.MILLISECONDS);
        feed.start();
    }

    /** The clusters this replica is connected to now. */
    public Set<String> connectedClusters() {
        return connections.clusters();
    }

    @Override
    public void close() {
        feed.close();
        queue.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close();
        infra.close();
        sender.close();
    }
}
