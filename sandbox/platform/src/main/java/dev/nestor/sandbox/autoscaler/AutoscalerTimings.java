package dev.nestor.sandbox.autoscaler;

import java.time.Duration;

/**
 * How the simulated cluster-autoscalers behave.
 *
 * @param tick how often each autoscaler looks at its cluster (cluster-autoscaler's {@code --scan-interval})
 * @param podsPerNode how many pending pods one new node takes (the sandbox has no scheduler to ask)
 * @param scaleDownAfter how long a group must have had no pending pods before it goes back to its minimum
 *     (cluster-autoscaler's {@code --scale-down-unneeded-time}, short here)
 */
public record AutoscalerTimings(Duration tick, int podsPerNode, Duration scaleDownAfter) {

    /** The sandbox's defaults: a look every second, ten pods a node, back to the minimum after 15 s idle. */
    public static AutoscalerTimings defaults() {
        return new AutoscalerTimings(Duration.ofSeconds(1), 10, Duration.ofSeconds(15));
    }

    /** Scaled like the other simulated controllers (a factor below 1 is faster). */
    public AutoscalerTimings scaled(double factor) {
        return new AutoscalerTimings(Duration.ofMillis(Math.max(100, (long) (tick.toMillis() * factor))), podsPerNode,
                Duration.ofMillis((long) (scaleDownAfter.toMillis() * factor)));
    }
}
