package dev.nestor.autoscaler.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.NodeGroupScaled;
import dev.nestor.support.feed.ConsumerLoop;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills a {@link ScalingHistory} from {@code nestor.autoscaling}, on every replica, leader or not: the topic is the
 * one record of what was scaled, so the REST answer is the same on every replica and survives restarts and lease
 * hand-overs. It reads every partition without a consumer group (each replica needs all of them, and nothing is
 * committed); on each (re)start it seeks to the history window's start, so it reads again what it may have held
 * before, which the history's deduplication by event id absorbs.
 *
 * <p>Only {@code nodegroup.scaled} is kept; the state reports on the same topic are skipped unparsed. A record that
 * is not a valid event is logged and skipped: without a group this reader has no dead-letter topic of its own
 * ({@code <topic>.<group>.dlq}), and cluster-service, which consumes this topic in its group, dead-letters it already.
 */
public final class ScalingHistoryReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingHistoryReader.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration BACKOFF = Duration.ofSeconds(2);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final String TYPE_HEADER = CloudEventCodec.HEADER_PREFIX + "type";

    private final String bootstrapServers;
    private final ScalingHistory history;
    private final Clock clock;
    private final CloudEventCodec codec = new CloudEventCodec();
    private final ConsumerLoop loop = new ConsumerLoop();

    public ScalingHistoryReader(String bootstrapServers, ScalingHistory history, Clock clock) {
        this.bootstrapServers = bootstrapServers;
        this.history = history;
        this.clock = clock;
    }

    /** Starts reading on its own thread; returns at once (the history fills in the background). */
    public void start() {
        loop.start("autoscaling-history", this::consume);
    }

    @Override
    public void close() {
        loop.close();
    }

    private void consume() {
        while (loop.running()) {
            try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.CLIENT_ID_CONFIG, "nestor-autoscaler-bridge-history",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                loop.using(kafka);
                if (!assignFromWindowStart(kafka)) {
                    pause();
                    continue;
                }
                Instant pruned = clock.instant();
                while (loop.running()) {
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                        handle(record);
                    }
                    if (clock.instant().isAfter(pruned.plus(PRUNE_EVERY))) {
                        history.prune();
                        pruned = clock.instant();
                    }
                }
            } catch (WakeupException | InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!loop.running()) {
                    return;
                }
                LOG.warn("Reading {} for the scaling history: {}; reconnecting in {}", Topics.AUTOSCALING,
                        e.toString(), BACKOFF);
                pause();
            }
        }
    }

    /** Assigns every partition, each at its first record inside the window (else at its end); false when unknown. */
    private boolean assignFromWindowStart(KafkaConsumer<String, byte[]> kafka) {
        List<PartitionInfo> partitions = kafka.partitionsFor(Topics.AUTOSCALING);
        if (partitions == null || partitions.isEmpty()) {
            LOG.warn("Topic {} not found yet; the scaling history waits for it", Topics.AUTOSCALING);
            return false;
        }
        long since = clock.instant().minus(history.window()).toEpochMilli();
        Map<TopicPartition, Long> start = new HashMap<>();
        partitions.forEach(p -> start.put(new TopicPartition(p.topic(), p.partition()), since));
        kafka.assign(start.keySet());
        Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(start);
        start.keySet().forEach(partition -> {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                kafka.seekToEnd(List.of(partition)); // nothing inside the window: only what comes next counts
            } else {
                kafka.seek(partition, offset.offset());
            }
        });
        LOG.info("Scaling history: reading {} partitions of {} from {}", start.size(), Topics.AUTOSCALING,
                Instant.ofEpochMilli(since));
        return true;
    }

    /** Records one {@code nodegroup.scaled}; skips everything else on the topic. */
    void handle(ConsumerRecord<String, byte[]> record) {
        Header type = record.headers().lastHeader(TYPE_HEADER);
        if (type != null && type.value() != null
                && !EventTypes.NODEGROUP_SCALED.equals(new String(type.value(), StandardCharsets.UTF_8))) {
            return; // a state report: cluster-service's to read
        }
        try {
            NestorEvent<JsonNode> event = codec.parse(record);
            NodeGroupScaled scaled = codec.data(event, NodeGroupScaled.class);
            history.record(event.clusterUid(), event.id(), new ScalingEvent(event.time(), scaled.nodeGroup(),
                    scaled.from(), scaled.to(), scaled.direction()));
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warn("Skipping {}-{}@{} (key {}) in the scaling history: {}", record.topic(), record.partition(),
                    record.offset(), record.key(), e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(BACKOFF.toMillis()); // the reader's own thread, never a request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
