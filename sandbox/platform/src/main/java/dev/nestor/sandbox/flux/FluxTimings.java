package dev.nestor.sandbox.flux;

import java.time.Duration;

/**
 * How fast the simulated helm-controller works.
 *
 * @param install           how long a Helm install or upgrade takes once it may start
 * @param dependencyRequeue how soon a release waiting for its dependencies looks again ({@code --requeue-dependency})
 * @param retry             how soon a failed install is tried again ({@code strategy.retryInterval} in spirit)
 * @param resync            how often every release is reconciled even without a change
 */
public record FluxTimings(Duration install, Duration dependencyRequeue, Duration retry, Duration resync) {

    /** Sandbox defaults: an add-on installs about a second after its dependencies are Ready. */
    public static FluxTimings defaults() {
        return new FluxTimings(Duration.ofMillis(1200), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
    }

    /** These timings with every delay but the resync multiplied by {@code factor}. */
    public FluxTimings scaled(double factor) {
        return new FluxTimings(scale(install, factor), scale(dependencyRequeue, factor), scale(retry, factor), resync);
    }

    private static Duration scale(Duration d, double factor) {
        return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * factor)));
    }
}
