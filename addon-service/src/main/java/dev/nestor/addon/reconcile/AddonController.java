package dev.nestor.addon.reconcile;

import dev.nestor.support.work.WakeOnChange;
import dev.nestor.addon.apply.Kinds;
import dev.nestor.addon.apply.Releases;
import dev.nestor.addon.catalog.AddonCatalog;
import dev.nestor.addon.config.AddonServiceConfig;
import dev.nestor.addon.render.Labels;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.EventSources;
import dev.nestor.events.NestorEvent;
import dev.nestor.support.feed.ClusterFeed;
import dev.nestor.support.feed.EventSender;
import dev.nestor.support.feed.TenantClusterPresence;
import dev.nestor.support.lease.LeaseLeadership;
import dev.nestor.support.work.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires the reconciler (DESIGN §5.3, §10): while this replica holds the Lease {@code nestor-addon-service}, the
 * cluster feed ({@code nestor.cluster.state} + {@code nestor.cluster.lifecycle}) and an informer on the HelmReleases
 * addon-service manages wake a cluster's key on a work queue; reports go to {@code nestor.addons}.
 */
@ApplicationScoped
public class AddonController {

    private static final Logger LOG = LoggerFactory.getLogger(AddonController.class);
    static final String LEASE = "nestor-addon-service";

    @Inject
    AddonServiceConfig config;
    @Inject
    AddonCatalog catalog;
    @Inject
    Releases releases;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private ScheduledExecutorService executor;
    private WorkQueue<String> queue;
    private EventSender sender;
    private ClusterFeed feed;
    private SharedIndexInformer<GenericKubernetesResource> informer;
    private LeaseLeadership lease;

    void start(@Observes StartupEvent event) {
        if (!config.reconcile()) {
            LOG.info("Reconciler off (nestor.reconcile=false): serving the API only");
            return;
        }
        String namespace = config.lease().namespace()
                .orElseGet(() -> LeaseLeadership.defaultNamespace(releases.client()));
        lease = LeaseLeadership.start(releases.client(), metrics, namespace, LEASE, config.lease().identity(), this::lead,
                () -> {
                    LOG.error("Lost the lease {}: exiting so another replica takes over", LEASE);
                    Quarkus.asyncExit(1);
                });
    }

    /** Called once this replica holds the lease. */
    private synchronized void lead() {
        LOG.info("Leading: consuming the cluster feed and reconciling add-ons");
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "addon-reconciler-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        sender = new EventSender(bootstrapServers);
        ReportSink sink = (type, report) -> sender.send(NestorEvent.report(EventSources.ADDON_SERVICE, type,
                OffsetDateTime.now(clock), report.tenant(), report.namespace(), report.cluster(), report.clusterUid(),
                report));
        feed = ClusterFeed.builder(bootstrapServers, ConsumerGroups.ADDON_SERVICE)
                .onWake(key -> queue.add(key))
                .resync(config.resync())
                .metrics(metrics)
                .build();
        AddonReconciler reconciler = new AddonReconciler(catalog, releases, key -> feed.snapshots().get(key),
                (key, object) -> TenantClusterPresence.goneOrDeleting(releases.client(),
                        object.getMetadata().getNamespace(), object.getMetadata().getLabels().get(Labels.CLUSTER),
                        object.getMetadata().getLabels().get(Labels.CLUSTER_UID)),
                sink, clock, config.resync(), config.deletionDeadline());
        queue = new WorkQueue<>("addons", metrics, executor, reconciler::reconcile);
        informer = releases.client().genericKubernetesResources(Kinds.HELM_RELEASE).inAnyNamespace()
                .withLabels(Labels.managed()).runnableInformer(0);
        informer.addEventHandler(new WakeOnChange<>(this::wakeClusterOf));
        informer.start();
        feed.start();
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    synchronized void close() {
        if (lease != null) {
            lease.close();
        }
        if (informer != null) {
            informer.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (sender != null) {
            sender.close();
        }
    }

    /** A change to a managed HelmRelease wakes the cluster it belongs to (handlers only enqueue). */
    private void wakeClusterOf(GenericKubernetesResource release) {
        String cluster = release.getMetadata().getLabels() == null ? null
                : release.getMetadata().getLabels().get(Labels.CLUSTER);
        if (cluster != null && queue != null) {
            queue.add(release.getMetadata().getNamespace() + "/" + cluster);
        }
    }
}
