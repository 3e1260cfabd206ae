package dev.nestor.sandbox.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One reconcile of one cluster: what was observed, the clock reading, and when to look again. */
final class Reconciliation {

    /** The delay before looking again at something this reconcile changed but does not watch. */
    static final Duration SOON = Duration.ofMillis(100);

    final Api api;
    final Observed observed;
    final Delays delays;
    final SimulationTimings timings;
    final TenantApiServers tenants;
    final Instant now;
    private Duration requeue;

    Reconciliation(Api api, Observed observed, Delays delays, SimulationTimings timings, TenantApiServers tenants,
            Instant now) {
        this.api = api;
        this.observed = observed;
        this.delays = delays;
        this.timings = timings;
        this.tenants = tenants;
        this.now = now;
    }

    /**
     * Whether the simulated step {@code step} (lasting {@code base}, jittered) is over. The first call starts it;
     * until it is over, the cluster is requeued for the moment it will be.
     */
    boolean elapsed(String step, Duration base) {
        Instant due = delays.dueAt(step, base, now);
        if (!now.isBefore(due)) {
            return true;
        }
        requeueAfter(Duration.between(now, due));
        return false;
    }

    /** Asks for another reconcile after {@code delay} at the latest. */
    void requeueAfter(Duration delay) {
        if (requeue == null || delay.compareTo(requeue) < 0) {
            requeue = delay;
        }
    }

    Optional<Duration> requeue() {
        return Optional.ofNullable(requeue);
    }

    ClusterKey key() {
        return observed.key;
    }
}
