package dev.nestor.cluster.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nestor.cluster.lifecycle.Transitions;
import dev.nestor.cluster.model.PendingEvent;
import dev.nestor.cluster.model.TenantCluster;
import dev.nestor.cluster.model.TenantClusterStatus;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.payload.ClusterLifecycleData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The outbox of DESIGN §5.3, kept in {@code status.pendingEvents}: events are recorded in the same
 * status write that advances {@code lastSequence}, published verbatim from there, and trimmed once
 * acknowledged.
 */
final class Outbox {
    /** A cluster never needs more; a longer outbox means Kafka has been away for long. */
    static final int MAX_PENDING = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CloudEventCodec CODEC = new CloudEventCodec();

    private Outbox() {
    }

    /** Appends one event to the status, advancing {@code lastSequence} (and the milestone). */
    static void record(TenantClusterStatus status, TenantCluster tc, String tenant, Transitions.Emit emit,
            String previousPhase, String reason, String message, OffsetDateTime now) {
        long sequence = (status.lastSequence == null ? 0 : status.lastSequence) + 1;
        var data = new ClusterLifecycleData(tenant, tc.getMetadata().getNamespace(), tc.getMetadata().getName(),
                tc.getMetadata().getUid(), tc.getMetadata().getGeneration() == null ? 1 : tc.getMetadata().getGeneration(),
                sequence, emit.phase().name(), previousPhase, reason, message);
        NestorEvent<ClusterLifecycleData> event = NestorEvent.lifecycle(emit.type(), now, tenant,
                tc.getMetadata().getNamespace(), tc.getMetadata().getName(), tc.getMetadata().getUid(), sequence, data);
        String body = new String(CODEC.body(event), StandardCharsets.UTF_8);
        if (status.pendingEvents == null) {
            status.pendingEvents = new ArrayList<>();
        }
        if (status.pendingEvents.size() >= MAX_PENDING) {
            throw new IllegalStateException("outbox of " + tc.getMetadata().getName() + " is full: Kafka has not acknowledged "
                    + MAX_PENDING + " events");
        }
        status.pendingEvents.add(new PendingEvent(sequence, emit.type(), event.time().toString(), body));
        status.lastSequence = sequence;
        if (emit.milestone() != null) {
            status.milestone = emit.milestone();
        }
    }

    /** Drops the events Kafka acknowledged; true when something was dropped. */
    static boolean trim(TenantClusterStatus status, long acknowledged) {
        if (status.pendingEvents == null) {
            return false;
        }
        return status.pendingEvents.removeIf(e -> e.sequence != null && e.sequence <= acknowledged);
    }

    /** The recorded event rebuilt exactly as it was first encoded. */
    static NestorEvent<JsonNode> rebuild(PendingEvent pending, TenantCluster tc, String tenant) {
        try {
            JsonNode data = JSON.readTree(pending.data);
            return NestorEvent.lifecycle(pending.type, OffsetDateTime.parse(pending.time), tenant,
                    tc.getMetadata().getNamespace(), tc.getMetadata().getName(), tc.getMetadata().getUid(),
                    pending.sequence, data);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt outbox entry " + pending.sequence, e);
        }
    }

    static List<PendingEvent> pending(TenantClusterStatus status) {
        return status.pendingEvents == null ? List.of() : status.pendingEvents;
    }
}
