package dev.nestor.support.feed;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The thread of a Kafka consumer loop: started once; {@link #close()} ends the loop, wakes a poll blocked in the
 * current consumer and waits for the thread (at most 10 s). The loop asks {@link #running()} between polls and
 * registers each consumer it opens with {@link #using}.
 */
public final class ConsumerLoop implements AutoCloseable {
    private static final Duration JOIN = Duration.ofSeconds(10);

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<?, ?> consumer;
    private volatile Thread thread;

    /** Runs {@code body} on a daemon thread named {@code name}; false (and nothing done) when already started. */
    public boolean start(String name, Runnable body) {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        Thread started = new Thread(body, name);
        started.setDaemon(true);
        thread = started;
        started.start();
        return true;
    }

    /** Whether the loop should go on. */
    public boolean running() {
        return running.get();
    }

    /** The consumer the loop polls now, whose blocked poll {@link #close()} must wake. */
    public void using(KafkaConsumer<?, ?> current) {
        consumer = current;
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<?, ?> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread started = thread;
        if (started != null) {
            try {
                started.join(JOIN.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
