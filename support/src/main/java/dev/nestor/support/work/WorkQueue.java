package dev.nestor.support.work;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue in the manner of client-go's: keys are deduplicated, one key is never handled twice at once, a handler
 * may ask to be called again after a delay, and a failing handler is retried with bounded exponential backoff.
 * Metrics per controller, never per key: {@code nestor.reconcile} (a timer tagged {@code outcome=success|failure})
 * and {@code nestor.workqueue.pending} (keys waiting).
 */
public final class WorkQueue<K> {
    /** The timer of every handler run, tagged with the controller and the outcome. */
    public static final String RECONCILE_METRIC = "nestor.reconcile";
    /** The gauge of keys waiting to be handled, tagged with the controller. */
    public static final String PENDING_METRIC = "nestor.workqueue.pending";

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final ScheduledExecutorService executor;
    private final Function<K, Optional<Duration>> handler;
    private final Map<K, Scheduled> scheduled = new HashMap<>();
    private final Set<K> running = new HashSet<>();
    private final Map<K, Instant> afterRun = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Timer succeeded;
    private final Timer failed;
    private final MeterRegistry metrics;
    private final Gauge pendingGauge;
    private boolean closed;

    /** A pending run; {@code token} tells a run that was replaced (its cancel came too late) from the current one. */
    private record Scheduled(Instant at, Object token, ScheduledFuture<?> future) {
    }

    /**
     * @param controller what the queue reconciles (e.g. {@code addons}), the tag of its metrics
     * @param metrics where its metrics go
     */
    public WorkQueue(String controller, MeterRegistry metrics, ScheduledExecutorService executor,
            Function<K, Optional<Duration>> handler) {
        this.executor = executor;
        this.handler = handler;
        this.succeeded = timer(metrics, controller, "success");
        this.failed = timer(metrics, controller, "failure");
        this.metrics = metrics;
        this.pendingGauge = Gauge.builder(PENDING_METRIC, this, WorkQueue::pending).tag("controller", controller)
                .description("keys waiting to be reconciled").register(metrics);
    }

    private static Timer timer(MeterRegistry metrics, String controller, String outcome) {
        return Timer.builder(RECONCILE_METRIC).tag("controller", controller).tag("outcome", outcome)
                .description("reconciles of one key: how many, how long, how many failed").register(metrics);
    }

    private synchronized int pending() {
        return scheduled.size();
    }

    /** Handles {@code key} as soon as possible. */
    public void add(K key) {
        addAfter(key, Duration.ZERO);
    }

    /** Handles {@code key} after {@code delay} at the latest (an earlier request wins). */
    public synchronized void addAfter(K key, Duration delay) {
        if (closed) {
            return;
        }
        Instant at = Instant.now().plus(delay);
        if (running.contains(key)) {
            afterRun.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
            return;
        }
        Scheduled existing = scheduled.get(key);
        if (existing != null) {
            if (!existing.at().isAfter(at)) {
                return;
            }
            existing.future().cancel(false);
        }
        Object token = new Object();
        ScheduledFuture<?> future = executor.schedule(() -> run(key, token), Math.max(0, delay.toMillis()),
                TimeUnit.MILLISECONDS);
        scheduled.put(key, new Scheduled(at, token, future));
    }

    /** Drops every pending run; a run in progress finishes. Its gauge goes, so a new queue can take the name. */
    public synchronized void close() {
        closed = true;
        scheduled.values().forEach(s -> s.future().cancel(false));
        scheduled.clear();
        metrics.remove(pendingGauge);
    }

    private void run(K key, Object token) {
        synchronized (this) {
            Scheduled current = scheduled.get(key);
            if (closed || current == null || current.token() != token) {
                return;
            }
            scheduled.remove(key);
            running.add(key);
        }
        Duration next = null;
        long started = System.nanoTime();
        try {
            next = handler.apply(key).orElse(null);
            succeeded.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            synchronized (this) {
                failures.remove(key);
            }
        } catch (RuntimeException | LinkageError e) {
            failed.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            // A LinkageError (a broken classpath) would otherwise vanish inside the executor with the key.
            int attempt;
            synchronized (this) {
                if (closed) {
                    // Interrupted by close(): nothing to retry.
                    return;
                }
                attempt = failures.merge(key, 1, Integer::sum);
            }
            next = backoff(attempt);
            LOG.warn("Reconciling {} failed (attempt {}), retrying in {} ms: {}", key, attempt, next.toMillis(),
                    describe(e));
            LOG.debug("Reconcile failure of {}", key, e);
        } finally {
            synchronized (this) {
                running.remove(key);
                Instant pending = afterRun.remove(key);
                if (pending != null) {
                    Duration untilPending = Duration.between(Instant.now(), pending);
                    next = next == null || untilPending.compareTo(next) < 0 ? untilPending : next;
                }
            }
        }
        if (next != null) {
            addAfter(key, next.isNegative() ? Duration.ZERO : next);
        }
    }

    /** The message of a failure and of its causes (fabric8 puts the API server's answer in the cause). */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString();
    }

    static Duration backoff(int attempt) {
        long millis = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 20);
        return millis > MAX_RETRY.toMillis() ? MAX_RETRY : Duration.ofMillis(millis);
    }
}
