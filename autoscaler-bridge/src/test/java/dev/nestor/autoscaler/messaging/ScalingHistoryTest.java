package dev.nestor.autoscaler.messaging;

import dev.nestor.sandbox.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** What the REST API lists of a cluster's scaling: the latest few, in time order, each once, only recent ones. */
class ScalingHistoryTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    final MovableClock clock = new MovableClock(NOW);
    final ScalingHistory history = new ScalingHistory(3, Duration.ofHours(24), clock);

    @Test
    void keepsTheLatestEventsInTimeOrderEachOnce() {
        for (int i = 1; i <= 4; i++) {
            history.record("uid", "e" + i, at(-600 + 60 * i, i, i + 1));
        }
        history.record("uid", "e3", at(-420, 3, 4)); // re-sent
        history.record("uid", "e1", at(-540, 1, 2)); // re-sent after it was dropped for newer ones
        history.record("uid", "late", at(-390, 9, 8)); // delivered after e4, shown before it
        assertThat(history.of("uid")).extracting(ScalingEvent::from).containsExactly(3, 9, 4);
        assertThat(history.of("other-uid")).isEmpty();
    }

    @Test
    void eventsLeaveWithTheWindowAndSoDoesTheirCluster() {
        history.record("uid", "e1", at(-600, 1, 2));
        history.record("uid", "stale", at(-25 * 3600, 2, 1));
        assertThat(history.of("uid")).extracting(ScalingEvent::to).containsExactly(2);

        clock.set(NOW.plus(Duration.ofHours(24)));
        assertThat(history.of("uid")).isEmpty();
        history.prune();
        clock.set(NOW);
        assertThat(history.of("uid")).as("forgotten, not only hidden").isEmpty();
    }

    /** A scaling of md0, {@code seconds} from now. */
    private static ScalingEvent at(int seconds, int from, int to) {
        return ScalingEvent.of(OffsetDateTime.ofInstant(NOW.plusSeconds(seconds), ZoneOffset.UTC), "md0", from, to);
    }
}
