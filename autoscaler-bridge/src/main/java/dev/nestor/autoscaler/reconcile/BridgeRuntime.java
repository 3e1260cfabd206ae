package dev.nestor.autoscaler.reconcile;

import dev.nestor.support.work.WakeOnChange;
import dev.nestor.autoscaler.apply.Kinds;
import dev.nestor.autoscaler.apply.TenantConnections;
import dev.nestor.autoscaler.config.BridgeConfig;
import dev.nestor.autoscaler.messaging.MachineDeploymentEvents;
import dev.nestor.autoscaler.messaging.Reports;
import dev.nestor.autoscaler.messaging.ScalingHistory;
import dev.nestor.autoscaler.messaging.ScalingHistoryReader;
import dev.nestor.autoscaler.render.AutoscalerImages;
import dev.nestor.autoscaler.render.Labels;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.NestorEvent;
import dev.nestor.support.feed.ClusterFeed;
import dev.nestor.support.feed.EventSender;
import dev.nestor.support.lease.LeaseLeadership;
import dev.nestor.support.work.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires autoscaler-bridge: while this replica holds the Lease, the cluster feed, the MachineDeployment and
 * autoscaler Deployment informers wake a work queue that runs {@link AutoscalerReconciler}. Every replica, leader or
 * not, keeps the scaling history read back from {@code nestor.autoscaling} for the REST API.
 */
@ApplicationScoped
public class BridgeRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeRuntime.class);

    @Inject
    KubernetesClient client;
    @Inject
    BridgeConfig config;
    @Inject
    MeterRegistry metrics;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private volatile ScalingHistory history;
    private ScalingHistoryReader historyReader;
    private ScheduledExecutorService executor;
    private EventSender sender;
    private TenantConnections tenants;
    private WorkQueue<String> queue;
    private ClusterFeed feed;
    private LeaseLeadership lease;
    private SharedIndexInformer<GenericKubernetesResource> machineDeployments;
    private SharedIndexInformer<Deployment> autoscalers;

    void start(@Observes StartupEvent event) {
        Clock clock = Clock.systemUTC();
        executor = Executors.newScheduledThreadPool(config.workers());
        sender = new EventSender(bootstrapServers);
        tenants = new TenantConnections(client, config.adminKubeconfigKey());
        Reports reports = new Reports(sender, clock, config.resync());
        history = new ScalingHistory(config.scalingHistorySize(), config.scalingHistoryWindow(), clock);
        historyReader = new ScalingHistoryReader(bootstrapServers, history, clock);
        historyReader.start();
        AutoscalerReconciler reconciler = new AutoscalerReconciler(client, tenants,
                new AutoscalerImages(config.autoscalerImages()), reports, new AutoscalerReconciler.Inputs(
                        key -> feed.snapshots().get(key), key -> feed.owns(key), this::machineDeploymentsIn),
                clock, config.availabilityDeadline());
        queue = new WorkQueue<>("autoscalers", metrics, executor, reconciler::reconcile);
        feed = ClusterFeed.builder(bootstrapServers, ConsumerGroups.AUTOSCALER_BRIDGE)
                .onWake(queue::add)
                .onRevoked(keys -> keys.forEach(queue::add))
                .resync(config.resync())
                .metrics(metrics)
                .build();
        machineDeployments = client.genericKubernetesResources(Kinds.MACHINE_DEPLOYMENT).inAnyNamespace()
                .runnableInformer(config.resync().toMillis());
        machineDeployments.addEventHandler(new MachineDeploymentEvents(queue::add, key -> feed.snapshots().get(key),
                reports, clock));
        autoscalers = client.apps().deployments().inAnyNamespace().withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                .runnableInformer(config.resync().toMillis());
        autoscalers.addEventHandler(wakeOwner());
        String namespace = config.lease().namespace().orElseGet(() -> LeaseLeadership.defaultNamespace(client));
        lease = LeaseLeadership.start(client, metrics, namespace, config.lease().name(), identity(), this::lead,
                () -> Quarkus.asyncExit(1));
    }

    private void lead() {
        machineDeployments.start().toCompletableFuture().join();
        autoscalers.start();
        feed.start();
        LOG.info("autoscaler-bridge reconciles");
    }

    void stop(@Observes ShutdownEvent event) {
        if (lease != null) {
            lease.close();
        }
        if (feed != null) {
            feed.close();
        }
        if (machineDeployments != null) {
            machineDeployments.close();
        }
        if (autoscalers != null) {
            autoscalers.close();
        }
        if (queue != null) {
            queue.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        if (tenants != null) {
            tenants.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (historyReader != null) {
            historyReader.close();
        }
    }

    /** The recent scaling events of every cluster, as published on {@code nestor.autoscaling} (by any replica). */
    public ScalingHistory history() {
        return history;
    }

    private List<GenericKubernetesResource> machineDeploymentsIn(String namespace) {
        return machineDeployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    private ResourceEventHandler<Deployment> wakeOwner() {
        return new WakeOnChange<>(d -> Optional.ofNullable(d.getMetadata().getLabels()).map(l -> l.get(Labels.CLUSTER))
                .ifPresent(cluster -> queue.add(NestorEvent.key(d.getMetadata().getNamespace(), cluster))));
    }

    private static String identity() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "autoscaler-bridge";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
