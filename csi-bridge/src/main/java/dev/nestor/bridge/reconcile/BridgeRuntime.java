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
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires csi-bridge: the cluster feed (clusters split between replicas by the Kafka partitions each owns, DESIGN §10),
 * one work queue keyed by cluster, the management caches and the tenant connections. Every wake-up — a snapshot, a
 * lifecycle event, a resync, a management or tenant object changing — only enqueues the cluster.
 */
@ApplicationScoped
public class BridgeRuntime {

    private static final Logger LOG = Logger.getLogger(BridgeRuntime.class);

    private final KubernetesClient management;
    private final Vertx vertx;
    private final BridgeConfig config;
    private final String bootstrapServers;
    private ScheduledExecutorService executor;
    private EventSender sender;
    private InfraCache infra;
    private TenantConnections connections;
    private WorkQueue<String> queue;
    private ClusterFeed feed;

    BridgeRuntime(KubernetesClient management, Vertx vertx, BridgeConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.management = management;
        this.vertx = vertx;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent event) {
        Clock clock = Clock.systemUTC();
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "csi-bridge-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        sender = new EventSender(bootstrapServers);
        ClusterReconciler[] reconciler = new ClusterReconciler[1];
        queue = new WorkQueue<>(executor, key -> reconciler[0].apply(key));
        infra = new InfraCache(management, queue::add);
        connections = new TenantConnections(new VertxHttpClientFactory(vertx), config.connectInterval(), clock,
                queue::add);
        feed = ClusterFeed.builder(bootstrapServers, ConsumerGroups.CSI_BRIDGE)
                .onWake(queue::add)
                // Before another replica reads these clusters: close their connections now; queued work finds no
                // snapshot and stops.
                .onRevoked(keys -> keys.forEach(connections::stop))
                .resync(config.resync())
                .build();
        StateReports reports = new StateReports(sender, clock, config.resync());
        reconciler[0] = new ClusterReconciler(feed.snapshots(), connections, management, infra, reports,
                new Activities(sender, clock), config, clock, ClusterReconciler.defaultSteps(),
                List.of(new StorageCleanup(management), new LoadBalancerCleanup(management)));
        feed.start();
        LOG.info("csi-bridge started");
    }

    void stop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connections != null) {
            connections.close();
        }
        if (infra != null) {
            infra.close();
        }
        if (sender != null) {
            sender.close();
        }
    }
}
