package dev.nestor.cluster.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.cluster.config.LeaderElection;
import dev.nestor.cluster.reconcile.TenantClusterReconciler;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.ConsumerGroups;
import dev.nestor.events.DeadLetterHeaders;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.PayloadSchema;
import dev.nestor.events.Schemas;
import dev.nestor.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the satellites' topics ({@code nestor.addons}, {@code nestor.autoscaling},
 * {@code nestor.bridges}; DESIGN §5.3) — only while this replica holds the lease (§10): the group
 * {@code nestor-cluster-service} is joined when leadership is acquired, so the one replica that
 * reconciles sees every partition's reports. Each state report is recorded in
 * {@link SatelliteReports} and wakes that cluster's reconcile; a record that is not a valid Nestor
 * event goes to {@code <topic>.nestor-cluster-service.dlq} with {@link DeadLetterHeaders}, and the
 * consumer moves on. Offsets are committed after a batch was recorded or dead-lettered
 * (at-least-once; recording is idempotent). The loop runs on its own thread: no handler waits.
 */
@ApplicationScoped
public class SatelliteReportConsumer {
    private static final Logger LOG = Logger.getLogger(SatelliteReportConsumer.class);
    static final List<String> TOPICS = List.of(Topics.ADDONS, Topics.AUTOSCALING, Topics.BRIDGES);
    static final Duration BACKOFF = Duration.ofSeconds(2);
    /** How far back a new leader re-reads: more than two of the satellites' resync periods. */
    static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final CloudEventCodec codec = new CloudEventCodec();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread loop;

    @Inject
    SatelliteReports reports;
    @Inject
    TenantClusterReconciler reconciler;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Joins the group once this replica leads; it never stops leading without exiting. */
    void onLeadership(@ObservesAsync LeaderElection.Acquired acquired) {
        if (running.compareAndSet(false, true)) {
            loop = new Thread(this::consume, "satellite-reports");
            loop.setDaemon(true);
            loop.start();
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        running.set(false);
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }

    private void consume() {
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ConsumerConfig.GROUP_ID_CONFIG, ConsumerGroups.CLUSTER_SERVICE,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
                 KafkaProducer<String, byte[]> deadLetters = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
                consumer.subscribe(TOPICS, new CatchUp(consumer));
                while (running.get()) {
                    ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<String, byte[]> record : batch) {
                        handle(record, deadLetters);
                    }
                    if (!batch.isEmpty()) {
                        deadLetters.flush();
                        consumer.commitSync();
                    }
                }
            } catch (InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                LOG.warnf("satellite reports: %s; reconnecting in %s", e.getMessage(), BACKOFF);
                try {
                    Thread.sleep(BACKOFF.toMillis()); // the loop's own thread, never a handler
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * A new leader starts with no reports in memory, and committed offsets would skip the ones its predecessor read:
     * on assignment it re-reads the last {@link #CATCH_UP} of reports, which holds at least one resync of every
     * satellite, so conditions do not sit at Unknown until the next resync.
     */
    private static final class CatchUp implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;

        CatchUp(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            long since = System.currentTimeMillis() - CATCH_UP.toMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since));
            consumer.offsetsForTimes(query).forEach((partition, found) -> {
                if (found != null) {
                    consumer.seek(partition, found.offset());
                }
            });
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Offsets are committed after each batch; nothing is held per partition.
        }
    }

    /** Records one record, or dead-letters it when it is not a valid report for this topic. */
    void handle(ConsumerRecord<String, byte[]> record, KafkaProducer<String, byte[]> deadLetters) {
        try {
            NestorEvent<JsonNode> event = codec.parse(record.key(), record.headers(), record.value());
            String topic = EventTypes.route(event.type()).topic();
            if (!topic.equals(record.topic())) {
                throw new MalformedEventException(event.type() + " belongs on " + topic + ", not on " + record.topic());
            }
            if (recorded(event)) {
                wake(event.key());
            }
        } catch (MalformedEventException e) {
            LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                    record.key(), e.getMessage());
            deadLetters.send(new ProducerRecord<>(Topics.dlq(record.topic(), ConsumerGroups.CLUSTER_SERVICE), null,
                    record.key(), record.value(),
                    DeadLetterHeaders.of(record.headers(), record.topic(), record.partition(), record.offset(), e.getMessage())));
        }
    }

    /** Records a state report; true when it is news. */
    private boolean recorded(NestorEvent<JsonNode> event) throws MalformedEventException {
        PayloadSchema schema = Schemas.of(event.type());
        switch (schema) {
            case ADDON_STATE, AUTOSCALER_STATE, BRIDGE_STATE -> {
                SatelliteReports.Outcome outcome = reports.record(event.withData(codec.data(event, schema.payloadClass())));
                LOG.debugf("%s %s of %s (uid %s): %s", event.type(), event.id(), event.key(), event.clusterUid(), outcome);
                return outcome == SatelliteReports.Outcome.RECORDED;
            }
            case NODEGROUP_SCALED, BRIDGE_ACTIVITY -> {
                // Activity says what happened, not where things stand: checked, logged, otherwise ignored.
                LOG.debugf("%s of %s: %s", event.type(), event.key(), codec.data(event, schema.payloadClass()));
                return false;
            }
            default -> throw new MalformedEventException("cluster-service does not consume " + event.type());
        }
    }

    private void wake(String key) {
        int slash = key.indexOf('/');
        reconciler.wake(key.substring(0, slash), key.substring(slash + 1));
    }
}
