package dev.nestor.support.work;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a controller relies on: one run per key at a time, coalesced wake-ups, retries, and its metrics. */
class WorkQueueTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void wakeUpsDuringARunCoalesceIntoOneMoreRunAndAKeyNeverRunsTwiceAtOnce() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        List<Integer> overlaps = new CopyOnWriteArrayList<>();
        WorkQueue<String> queue = new WorkQueue<>("test", metrics, executor, key -> {
            overlaps.add(concurrent.incrementAndGet());
            try {
                if (runs.incrementAndGet() == 1) {
                    firstRunStarted.countDown();
                    await().atMost(Duration.ofSeconds(10)).until(() -> release.getCount() == 0);
                }
            } finally {
                concurrent.decrementAndGet();
            }
            return Optional.empty();
        });
        queue.add("a");
        assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
            queue.add("a");
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 2);
        assertThat(overlaps).containsOnly(1);
        assertThat(metrics.get(WorkQueue.RECONCILE_METRIC).tags("controller", "test", "outcome", "success").timer()
                .count()).isEqualTo(2);
    }

    @Test
    void aFailingKeyIsRetriedWithBackoffAndCountedAsFailuresWhileOthersGoOn() {
        ConcurrentHashMap<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        WorkQueue<String> queue = new WorkQueue<>("flaky", metrics, executor, key -> {
            int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (key.equals("bad") && attempt <= 3) {
                throw new IllegalStateException("the API server said no");
            }
            return Optional.empty();
        });
        queue.add("bad");
        queue.add("good");
        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get("bad").get() == 4);
        assertThat(attempts.get("good")).hasValue(1);
        assertThat(metrics.get(WorkQueue.RECONCILE_METRIC).tags("controller", "flaky", "outcome", "failure").timer()
                .count()).isEqualTo(3);
        assertThat(metrics.get(WorkQueue.RECONCILE_METRIC).tags("controller", "flaky", "outcome", "success").timer()
                .count()).isEqualTo(2);
        assertThat(WorkQueue.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(WorkQueue.backoff(30)).as("bounded").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aRequestedRequeueRunsAgainAndThePendingGaugeShowsIt() {
        AtomicInteger runs = new AtomicInteger();
        WorkQueue<String> queue = new WorkQueue<>("periodic", metrics, executor, key -> {
            runs.incrementAndGet();
            return Optional.of(Duration.ofMinutes(5));
        });
        queue.add("a");
        queue.add("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.get(WorkQueue.PENDING_METRIC)
                .tags("controller", "periodic").gauge().value() == 2);
        queue.close();
        assertThat(metrics.find(WorkQueue.PENDING_METRIC).tags("controller", "periodic").gauge())
                .as("a closed queue leaves no gauge behind").isNull();

        // A queue built later under the same name (a regained lease, a restarted bridge) reports its own keys.
        WorkQueue<String> next = new WorkQueue<>("periodic", metrics, executor, key -> Optional.of(Duration.ofMinutes(5)));
        next.add("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> metrics.get(WorkQueue.PENDING_METRIC)
                .tags("controller", "periodic").gauge().value() == 1);
        next.close();
    }
}
