package dev.nestor.sandbox.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long each simulated upstream step takes. Every delay gets a uniform jitter of ±{@code jitter} (a fraction), so
 * that clusters and machines created together do not move in lock-step, as in Cluster API's in-memory provider.
 *
 * @param controlPlaneCreate Kamaji creating the TenantControlPlane for a KamajiControlPlane
 * @param controlPlaneAddress the control-plane Service getting its address (the endpoint)
 * @param controlPlaneStart the control-plane pods starting until the tenant API answers
 * @param controlPlaneUpgrade a control-plane version change rolling out
 * @param bootstrapData the kubeadm bootstrap provider writing a Machine's bootstrap data
 * @param vmStart a VirtualMachine being scheduled and booted until its VMI runs
 * @param nodeJoin the kubelet joining the tenant cluster until its Node is Ready
 * @param vmShutdown a VirtualMachine stopping when its machine is deleted
 * @param jitter the relative jitter applied to every delay, from 0 to 1
 * @param resync how often every cluster is reconciled even without a change (catches missed watch events)
 */
public record SimulationTimings(
        Duration controlPlaneCreate,
        Duration controlPlaneAddress,
        Duration controlPlaneStart,
        Duration controlPlaneUpgrade,
        Duration bootstrapData,
        Duration vmStart,
        Duration nodeJoin,
        Duration vmShutdown,
        double jitter,
        Duration resync) {

    public SimulationTimings {
        Objects.requireNonNull(controlPlaneCreate, "controlPlaneCreate");
        Objects.requireNonNull(controlPlaneAddress, "controlPlaneAddress");
        Objects.requireNonNull(controlPlaneStart, "controlPlaneStart");
        Objects.requireNonNull(controlPlaneUpgrade, "controlPlaneUpgrade");
        Objects.requireNonNull(bootstrapData, "bootstrapData");
        Objects.requireNonNull(vmStart, "vmStart");
        Objects.requireNonNull(nodeJoin, "nodeJoin");
        Objects.requireNonNull(vmShutdown, "vmShutdown");
        Objects.requireNonNull(resync, "resync");
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        if (resync.isNegative() || resync.isZero()) {
            throw new IllegalArgumentException("resync must be positive");
        }
    }

    /** The default: a cluster with one machine per group is Ready about 10 s after it is created. */
    public static SimulationTimings defaults() {
        return new SimulationTimings(Duration.ofMillis(1000), Duration.ofMillis(1000), Duration.ofMillis(2000),
                Duration.ofMillis(3000), Duration.ofMillis(500), Duration.ofMillis(2500), Duration.ofMillis(2000),
                Duration.ofMillis(500), 0.2, Duration.ofSeconds(30));
    }

    /** Every step in tens of milliseconds: for tests. */
    public static SimulationTimings fast() {
        return defaults().scaled(0.02);
    }

    /** These timings with every step delay multiplied by {@code factor} (jitter and resync unchanged). */
    public SimulationTimings scaled(double factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("factor must not be negative");
        }
        return new SimulationTimings(scale(controlPlaneCreate, factor), scale(controlPlaneAddress, factor),
                scale(controlPlaneStart, factor), scale(controlPlaneUpgrade, factor), scale(bootstrapData, factor),
                scale(vmStart, factor), scale(nodeJoin, factor), scale(vmShutdown, factor), jitter, resync);
    }

    /** {@code base} with this jitter applied. */
    Duration jittered(Duration base, RandomGenerator random) {
        double spread = jitter * (2 * random.nextDouble() - 1);
        return Duration.ofNanos(Math.round(base.toNanos() * (1 + spread)));
    }

    private static Duration scale(Duration duration, double factor) {
        return Duration.ofNanos(Math.round(duration.toNanos() * factor));
    }
}
