package dev.nestor.support.lease;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io} Lease (DESIGN §10): every replica serves REST, only the holder
 * runs controllers and consumers, and a replica that loses the lease is told so it can exit rather than act on a
 * stale view next to the new leader.
 */
public final class LeaseLeadership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseLeadership.class);
    static final Duration LEASE_DURATION = Duration.ofSeconds(15);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
    static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
    private static final Path POD_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    /** The gauge of lease holding, tagged with the lease name. */
    public static final String LEADER_METRIC = "nestor.leader";

    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean holding = new AtomicBoolean();
    private volatile CompletableFuture<?> election;

    private LeaseLeadership() {
    }

    /**
     * Campaigns for {@code leaseName} in {@code namespace} as {@code identity}; returns at once. The gauge
     * {@code nestor.leader} (tag {@code lease}) is 1 while this replica holds the lease.
     *
     * @param onAcquired called once when this replica becomes the holder
     * @param onLost called when a holder loses the lease (not when {@link #close()} gives it up)
     */
    public static LeaseLeadership start(KubernetesClient client, MeterRegistry metrics, String namespace,
            String leaseName, String identity, Runnable onAcquired, Runnable onLost) {
        LeaseLeadership leadership = new LeaseLeadership();
        AtomicBoolean acquired = new AtomicBoolean();
        Gauge.builder(LEADER_METRIC, leadership.holding, holding -> holding.get() ? 1 : 0).tag("lease", leaseName)
                .description("1 while this replica holds the lease").strongReference(true).register(metrics);
        leadership.election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(leaseName)
                .withLock(new LeaseLock(namespace, leaseName, identity))
                .withLeaseDuration(LEASE_DURATION)
                .withRenewDeadline(RENEW_DEADLINE)
                .withRetryPeriod(RETRY_PERIOD)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            leadership.holding.set(true);
                            if (acquired.compareAndSet(false, true)) {
                                LOG.info("{} holds lease {}/{}", identity, namespace, leaseName);
                                onAcquired.run();
                            }
                        },
                        () -> {
                            leadership.holding.set(false);
                            if (!leadership.closing.get()) {
                                LOG.error("{} lost lease {}/{}", identity, namespace, leaseName);
                                onLost.run();
                            }
                        },
                        leader -> LOG.info("Lease {}/{} is held by {}", namespace, leaseName, leader)))
                .build()).build().start();
        return leadership;
    }

    /**
     * Where a replica keeps its Lease unless configured: the namespace its pod runs in (the service account mount),
     * outside a pod the client's namespace (the kubeconfig's), else {@code default}.
     */
    public static String defaultNamespace(KubernetesClient client) {
        String fallback = client.getNamespace() == null ? "default" : client.getNamespace();
        try {
            return Files.isReadable(POD_NAMESPACE) ? Files.readString(POD_NAMESPACE).trim() : fallback;
        } catch (java.io.IOException e) {
            return fallback;
        }
    }

    /** Gives the lease up (released, so a follower takes over at once). */
    @Override
    public void close() {
        closing.set(true);
        holding.set(false);
        CompletableFuture<?> running = election;
        if (running != null) {
            running.cancel(true);
        }
    }
}
