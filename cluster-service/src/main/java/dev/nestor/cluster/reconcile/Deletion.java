package dev.nestor.cluster.reconcile;

import dev.nestor.cluster.apply.ClusterApi;
import dev.nestor.cluster.lifecycle.Transitions;
import dev.nestor.cluster.messaging.EventPublisher;
import dev.nestor.cluster.model.Conditions;
import dev.nestor.cluster.model.Phase;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterStatus;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletion as DESIGN §4 describes it, one idempotent pass per reconcile: record {@code deleting};
 * wait for the satellites' objects; delete the CAPI Cluster and wait for it; delete our leftovers;
 * record {@code deleted} and the state tombstone; release the finalizer once both are acknowledged.
 * Step k may wait until {@code deletionTimestamp + k × stepDeadline}; past that, DeletionBlocked
 * names what is stuck and deletion moves on rather than hang.
 */
final class Deletion {
    private static final Logger LOG = Logger.getLogger(Deletion.class);
    static final Duration POLL = Duration.ofSeconds(2);

    private final ClusterApi api;
    private final EventPublisher publisher;
    private final Clock clock;
    private final Duration stepDeadline;

    Deletion(ClusterApi api, EventPublisher publisher, Clock clock, Duration stepDeadline) {
        this.api = api;
        this.publisher = publisher;
        this.clock = clock;
        this.stepDeadline = stepDeadline;
    }

    DeleteControl step(TenantCluster tc, String tenant) {
        String ns = tc.getMetadata().getNamespace();
        String name = tc.getMetadata().getName();
        String uid = tc.getMetadata().getUid();
        Instant now = clock.instant();
        Instant requested = Instant.parse(tc.getMetadata().getDeletionTimestamp());
        TenantClusterStatus status = TenantClusterReconciler.copyStatus(tc);
        Outbox.trim(status, publisher.acknowledgedSequence(uid));

        if (!Phase.Deleting.name().equals(status.phase) && !Phase.Deleted.name().equals(status.phase)) {
            transition(tc, tenant, status, Phase.Deleting, "Deleting", "the cluster is being deleted", now);
        }
        if (Phase.Deleting.name().equals(status.phase)) {
            List<String> blocked = new ArrayList<>();
            // Every step looks at what exists, never at status.acceptedGeneration: a reconcile can apply
            // objects and then lose its status write to the deletion itself (409), and what it applied
            // must go all the same. A cluster that rendered nothing passes every step at once.
            boolean done = waitFor("add-ons, autoscaler and bridges to remove their objects",
                    api.satelliteLeftovers(ns, name), requested.plus(stepDeadline), now, blocked);
            if (done) {
                api.deleteCapiCluster(ns, name);
                done = waitFor("Cluster API to delete the cluster", api.capiLeftovers(ns, name),
                        requested.plus(stepDeadline.multipliedBy(2)), now, blocked);
            }
            if (done) {
                done = waitFor("cluster-service's own objects to go", api.deleteLeftovers(ns, name),
                        requested.plus(stepDeadline.multipliedBy(3)), now, blocked);
            }
            if (setBlocked(status, blocked, tc, now)) {
                // Users and operators watch the event stream, not only the condition: say what is stuck, once.
                Outbox.record(status, tc, tenant, new Transitions.Emit(EventTypes.CLUSTER_DELETING, Phase.Deleting, null),
                        Phase.Deleting.name(), "DeletionBlocked", String.join("; ", blocked),
                        OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            }
            if (done) {
                transition(tc, tenant, status, Phase.Deleted, "Deleted", "everything of the cluster is gone", now);
            }
        }
        TenantCluster written = write(tc, status);
        if (!Phase.Deleted.name().equals(status.phase)) {
            // Satellites learn from the snapshot (deleting=true) that they must remove their objects;
            // once Deleted only the tombstone may follow, so nothing overtakes it on the compacted topic.
            publisher.publishSnapshot(Snapshots.of(written, tenant, now));
        }
        var pending = Outbox.pending(written.getStatus());
        if (!pending.isEmpty()) {
            publisher.publishLifecycle(Outbox.rebuild(pending.get(0), written, tenant));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
        }
        if (Phase.Deleted.name().equals(status.phase)) {
            if (publisher.tombstone(uid, NestorEvent.key(ns, name))) {
                LOG.infof("cluster %s/%s deleted", ns, name);
                publisher.forget(uid);
                return DeleteControl.defaultDelete();
            }
        }
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
    }

    /** True when nothing is left, or the deadline passed (then what is stuck is added to blocked). */
    private static boolean waitFor(String what, List<String> left, Instant deadline, Instant now, List<String> blocked) {
        if (left.isEmpty()) {
            return true;
        }
        if (now.isAfter(deadline)) {
            LOG.warnf("gave up waiting for %s: %s still there", what, left);
            blocked.add("waited for " + what + ": " + String.join(", ", left));
            return true;
        }
        return false;
    }

    private void transition(TenantCluster tc, String tenant, TenantClusterStatus status, Phase phase, String reason,
            String message, Instant now) {
        Phase previous = status.phase == null ? null : Phase.valueOf(status.phase);
        String previousName = status.phase;
        for (Transitions.Emit emit : Transitions.between(status.milestone, previous, phase)) {
            Outbox.record(status, tc, tenant, emit, previousName, reason, message, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            previousName = emit.phase().name();
        }
        status.phase = phase.name();
        status.reason = reason;
        status.message = message;
    }

    /** Sets DeletionBlocked from what is stuck; true when it just turned True. */
    private static boolean setBlocked(TenantClusterStatus status, List<String> blocked, TenantCluster tc, Instant now) {
        if (blocked.isEmpty() && status.conditions.stream().noneMatch(c -> Conditions.DELETION_BLOCKED.equals(c.getType()))) {
            return false;
        }
        String s = blocked.isEmpty() ? Conditions.FALSE : Conditions.TRUE;
        Condition previous = status.conditions.stream().filter(c -> Conditions.DELETION_BLOCKED.equals(c.getType()))
                .findFirst().orElse(null);
        String since = previous != null && s.equals(previous.getStatus()) ? previous.getLastTransitionTime()
                : DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        status.conditions.removeIf(c -> Conditions.DELETION_BLOCKED.equals(c.getType()));
        status.conditions.add(new ConditionBuilder().withType(Conditions.DELETION_BLOCKED).withStatus(s)
                .withReason(blocked.isEmpty() ? Conditions.NOT_BLOCKED : "DeadlineExceeded")
                .withMessage(blocked.isEmpty() ? "deletion is progressing" : String.join("; ", blocked))
                .withObservedGeneration(TenantClusterReconciler.generation(tc)).withLastTransitionTime(since).build());
        return Conditions.TRUE.equals(s) && (previous == null || !s.equals(previous.getStatus()));
    }

    private TenantCluster write(TenantCluster tc, TenantClusterStatus status) {
        if (TenantClusterReconciler.JSON.valueToTree(status).equals(TenantClusterReconciler.JSON.valueToTree(
                tc.getStatus() == null ? new TenantClusterStatus() : tc.getStatus()))) {
            return tc;
        }
        return api.writeStatus(tc, status);
    }
}
