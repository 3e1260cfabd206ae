package dev.nestor.sandbox.storage;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a full level-triggered pass on one thread whenever something changed; changes arriving during a pass make
 * exactly one more pass. A failed pass is retried shortly, and a pass also runs every few seconds regardless.
 */
final class Coalescing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coalescing.class);
    private static final long RETRY_MILLIS = 200;
    private static final long RESYNC_MILLIS = 3_000;

    private final ScheduledExecutorService executor;
    private final Runnable pass;
    private final AtomicBoolean pending = new AtomicBoolean();

    Coalescing(String name, Runnable pass) {
        this.pass = pass;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::nudge, RESYNC_MILLIS, RESYNC_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass. */
    void nudge() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(this::run);
            } catch (RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    private void run() {
        pending.set(false);
        try {
            pass.run();
        } catch (RuntimeException e) {
            LOG.debug("Simulated controller pass failed, retrying: {}", e.toString());
            try {
                executor.schedule(this::nudge, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // Shutting down.
            }
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
