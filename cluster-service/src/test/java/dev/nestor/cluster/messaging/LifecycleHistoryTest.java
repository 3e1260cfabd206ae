package dev.nestor.cluster.messaging;

import dev.nestor.sandbox.testing.MovableClock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.cluster.config.EventsStreamConfig;
import dev.nestor.events.EventJson;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The history and fan-out behind the events stream, fed directly (no Kafka). */
class LifecycleHistoryTest {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final String UID = "0b0e4c5e-1111-4a4a-9d9d-000000000001";
    static final String OTHER = "0b0e4c5e-2222-4a4a-9d9d-000000000002";

    final MovableClock clock = new MovableClock(NOW);
    final LifecycleHistory history = new LifecycleHistory(settings(3, Duration.ofHours(1)), clock, "not-started");

    @Test
    void aNewStreamGetsTheHistoryInOrderAndThenLiveEvents() {
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        history.accept(event(UID, 2, EventTypes.CLUSTER_PROVISIONING));
        AssertSubscriber<NestorEvent<JsonNode>> stream = subscribe(UID, 0);
        stream.awaitItems(2);

        history.accept(event(UID, 3, EventTypes.CLUSTER_CONTROL_PLANE_READY));

        assertThat(ids(stream.awaitItems(3))).containsExactly(UID + ":1", UID + ":2", UID + ":3");
        assertThat(stream.getItems()).extracting(NestorEvent::type).containsExactly(EventTypes.CLUSTER_REQUESTED,
                EventTypes.CLUSTER_PROVISIONING, EventTypes.CLUSTER_CONTROL_PLANE_READY);
    }

    @Test
    void aRedeliveredEventIsStreamedOnce() {
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        AssertSubscriber<NestorEvent<JsonNode>> live = subscribe(UID, 0).awaitItems(1);
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        history.accept(event(UID, 2, EventTypes.CLUSTER_PROVISIONING));
        history.accept(event(UID, 2, EventTypes.CLUSTER_PROVISIONING));

        assertThat(ids(live.awaitItems(2))).containsExactly(UID + ":1", UID + ":2");
        assertThat(ids(subscribe(UID, 0).awaitItems(2))).containsExactly(UID + ":1", UID + ":2");
    }

    @Test
    void onlyTheMostRecentEventsAreKeptAndOldRedeliveriesStayOut() {
        for (long sequence = 1; sequence <= 5; sequence++) {
            history.accept(event(UID, sequence, EventTypes.CLUSTER_UPDATED));
        }
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));

        AssertSubscriber<NestorEvent<JsonNode>> stream = subscribe(UID, 0).awaitItems(3);
        assertThat(ids(stream)).containsExactly(UID + ":3", UID + ":4", UID + ":5");
    }

    @Test
    void sinceSkipsWhatTheClientHasInTheHistoryAndLive() {
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        history.accept(event(UID, 2, EventTypes.CLUSTER_PROVISIONING));
        AssertSubscriber<NestorEvent<JsonNode>> fromOne = subscribe(UID, 1).awaitItems(1);
        AssertSubscriber<NestorEvent<JsonNode>> fromFour = subscribe(UID, 4);

        history.accept(event(UID, 3, EventTypes.CLUSTER_CONTROL_PLANE_READY));
        history.accept(event(UID, 4, EventTypes.CLUSTER_READY));
        history.accept(event(UID, 5, EventTypes.CLUSTER_SCALING));

        assertThat(ids(fromOne.awaitItems(4))).containsExactly(UID + ":2", UID + ":3", UID + ":4", UID + ":5");
        assertThat(ids(fromFour.awaitItems(1))).containsExactly(UID + ":5");
    }

    @Test
    void liveEventsFanOutToEveryStreamOfThatClusterOnly() {
        AssertSubscriber<NestorEvent<JsonNode>> first = subscribe(UID, 0);
        AssertSubscriber<NestorEvent<JsonNode>> second = subscribe(UID, 0);
        AssertSubscriber<NestorEvent<JsonNode>> other = subscribe(OTHER, 0);
        await().until(() -> history.subscriberCount() == 3);

        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        history.accept(event(OTHER, 1, EventTypes.CLUSTER_REQUESTED));

        assertThat(ids(first.awaitItems(1))).containsExactly(UID + ":1");
        assertThat(ids(second.awaitItems(1))).containsExactly(UID + ":1");
        assertThat(ids(other.awaitItems(1))).containsExactly(OTHER + ":1");
    }

    @Test
    void aClosedStreamIsForgotten() {
        AssertSubscriber<NestorEvent<JsonNode>> stream = subscribe(UID, 0);
        await().until(() -> history.subscriberCount() == 1);

        stream.cancel();

        await().until(() -> history.subscriberCount() == 0);
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        assertThat(stream.getItems()).isEmpty();
    }

    @Test
    void streamsEndWithTheDeletionAndTheClusterIsForgottenAfterTheRetention() {
        history.accept(event(UID, 1, EventTypes.CLUSTER_REQUESTED));
        AssertSubscriber<NestorEvent<JsonNode>> live = subscribe(UID, 0).awaitItems(1);
        history.accept(event(UID, 2, EventTypes.CLUSTER_DELETING));
        history.accept(event(UID, 3, EventTypes.CLUSTER_DELETED));

        live.awaitCompletion();
        assertThat(ids(live)).containsExactly(UID + ":1", UID + ":2", UID + ":3");
        AssertSubscriber<NestorEvent<JsonNode>> late = subscribe(UID, 1).awaitCompletion();
        assertThat(ids(late)).containsExactly(UID + ":2", UID + ":3");

        clock.set(NOW.plus(Duration.ofMinutes(59)));
        history.evictExpired();
        assertThat(subscribe(UID, 0).awaitCompletion().getItems()).hasSize(3);

        clock.set(NOW.plus(Duration.ofMinutes(61)));
        history.evictExpired();
        AssertSubscriber<NestorEvent<JsonNode>> afterRetention = subscribe(UID, 0);
        await().until(() -> history.subscriberCount() == 1);
        assertThat(afterRetention.getItems()).as("nothing is kept of a cluster deleted long ago").isEmpty();
    }

    @Test
    void aSlowClientIsDisconnectedInsteadOfBufferingWithoutBound() {
        LifecycleHistory small = new LifecycleHistory(settings(2, Duration.ofHours(1), 2), clock, "not-started");
        AssertSubscriber<NestorEvent<JsonNode>> stalled = small.stream(UID, 0).subscribe()
                .withSubscriber(AssertSubscriber.create(0));
        await().until(() -> small.subscriberCount() == 1);

        for (long sequence = 1; sequence <= 600; sequence++) {
            small.accept(event(UID, sequence, EventTypes.CLUSTER_UPDATED));
        }

        stalled.request(Long.MAX_VALUE);
        stalled.awaitFailure();
        assertThat(stalled.getItems()).as("what was buffered, without gaps, so the client can resume after it")
                .hasSizeLessThan(600).extracting(NestorEvent::sequence)
                .isEqualTo(LongStream.rangeClosed(1, stalled.getItems().size()).boxed().toList());
        assertThat(small.subscriberCount()).isZero();
    }

    @Test
    void anUnreachableBrokerNeitherBlocksStartupNorShutdown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        LifecycleHistory detached = new LifecycleHistory(settings(3, Duration.ofHours(1)), clock,
                "127.0.0.1:" + closedPort);

        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> detached.start(null));
        AssertSubscriber<NestorEvent<JsonNode>> stream = detached.stream(UID, 0).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().until(() -> detached.subscriberCount() == 1);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> detached.stop(null));
        assertThat(stream.getItems()).isEmpty();
    }

    private AssertSubscriber<NestorEvent<JsonNode>> subscribe(String uid, long since) {
        return history.stream(uid, since).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    private static List<String> ids(AssertSubscriber<NestorEvent<JsonNode>> stream) {
        return stream.getItems().stream().map(NestorEvent::id).toList();
    }

    static NestorEvent<JsonNode> event(String uid, long sequence, String type) {
        JsonNode data = EventJson.mapper().createObjectNode().put("uid", uid).put("sequence", sequence);
        return NestorEvent.lifecycle(type, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC), "acme", "tenant-acme", "demo",
                uid, sequence, data);
    }

    static EventsStreamConfig settings(int historySize, Duration retention) {
        return settings(historySize, retention, 256);
    }

    static EventsStreamConfig settings(int historySize, Duration retention, int buffer) {
        return new EventsStreamConfig() {
            @Override
            public int historySize() {
                return historySize;
            }

            @Override
            public Duration deletedRetention() {
                return retention;
            }

            @Override
            public int subscriberBuffer() {
                return buffer;
            }

            @Override
            public Duration reconnectBackoff() {
                return Duration.ofSeconds(5);
            }
        };
    }
}
