package dev.nestor.addon.reconcile;

import dev.nestor.events.payload.AddonStateReport;

import java.util.concurrent.CompletableFuture;

/** Where state reports go: {@code nestor.addons} in the service, a list in tests. */
@FunctionalInterface
public interface ReportSink {
    /** Publishes one report of the given event type; completes once acknowledged. */
    CompletableFuture<Void> send(String type, AddonStateReport report);
}
