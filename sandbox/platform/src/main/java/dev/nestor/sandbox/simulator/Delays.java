package dev.nestor.sandbox.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Remembers, per cluster, when each simulated step started and so when it completes. The first reconcile that wants a
 * step fixes its (jittered) completion time; later reconciles only compare the clock with it. Nothing sleeps.
 */
final class Delays {

    private final SimulationTimings timings;
    private final RandomGenerator random;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();

    Delays(SimulationTimings timings, RandomGenerator random) {
        this.timings = timings;
        this.random = random;
    }

    /** When {@code step} completes: {@code base} (jittered) after the first time it was asked for. */
    Instant dueAt(String step, Duration base, Instant now) {
        return due.computeIfAbsent(step, ignored -> now.plus(timings.jittered(base, random)));
    }

    /** Forgets every step whose key starts with {@code prefix} (an object that is gone). */
    void forget(String prefix) {
        due.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
