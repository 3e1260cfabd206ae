package dev.nestor.cluster.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leader election on a Lease (DESIGN §10): every replica serves REST, only the holder of the
 * lease reconciles (JOSDK starts the controllers on leadership) and consumes Kafka; a replica that
 * loses the lease exits, so two leaders never act at once for longer than a renew deadline.
 */
@Singleton
@Unremovable
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /** Fired once when this replica becomes the leader. */
    public record Acquired(String identity) {
    }

    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final String identity = System.getenv().getOrDefault("HOSTNAME", "cluster-service") + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    ClusterServiceConfig config;
    @Inject
    Event<Acquired> acquired;

    /** True while this replica holds the lease. */
    public boolean isLeader() {
        return leader.get();
    }

    public String identity() {
        return identity;
    }

    /**
     * The configuration the Operator SDK extension picks up as a bean (for the profiles in
     * {@code quarkus.operator-sdk.activate-leader-election-for-profiles}).
     */
    @Produces
    @Singleton
    LeaderElectionConfiguration configuration() {
        var settings = config.leaderElection();
        LeaderCallbacks callbacks = new LeaderCallbacks(
                () -> {
                    LOG.infof("%s holds the lease %s: reconciling and consuming", identity, settings.leaseName());
                    leader.set(true);
                    acquired.fireAsync(new Acquired(identity));
                },
                () -> {
                    leader.set(false);
                    if (!shuttingDown.get()) {
                        // Another replica may act now: this one must not, so it exits and restarts clean.
                        LOG.errorf("%s lost the lease %s: exiting", identity, settings.leaseName());
                        Quarkus.asyncExit(1);
                    }
                },
                newLeader -> LOG.infof("lease %s is held by %s", settings.leaseName(), newLeader));
        // exitOnStopLeading=false: the SDK would also exit on a normal shutdown; the callback above
        // exits only when the lease is lost while running.
        return new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace().orElse(null),
                settings.leaseDuration(), settings.renewDeadline(), settings.retryPeriod(), identity, callbacks, false);
    }

    /** Runs before the operator stops, so giving the lease up on shutdown is not mistaken for losing it. */
    void shuttingDown(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown.set(true);
    }
}
