package dev.nestor.cluster.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nestor.cluster.reconcile.TenantClusterReconciler;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.DeadLetterHeaders;
import dev.nestor.events.EventTypes;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.PayloadSchema;
import dev.nestor.events.Schemas;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Reads the satellites' topics ({@code nestor.addons}, {@code nestor.autoscaling},
 * {@code nestor.bridges}; DESIGN §5.3): records each state report in {@link SatelliteReports} and
 * wakes that cluster's reconcile, never waiting on anything. A record that is not a valid Nestor
 * event goes to {@code <topic>.nestor-cluster-service.dlq} with {@link DeadLetterHeaders} (the
 * channels' {@code dead-letter-queue} failure strategy) and the consumer moves on. A record is
 * acknowledged, and its offset committed, only once it has been recorded or dead-lettered.
 */
@ApplicationScoped
public class SatelliteReportConsumer {
    private static final Logger LOG = Logger.getLogger(SatelliteReportConsumer.class);

    private final CloudEventCodec codec = new CloudEventCodec();

    @Inject
    SatelliteReports reports;
    @Inject
    TenantClusterReconciler reconciler;

    @Incoming("addon-reports")
    public CompletionStage<Void> addonReports(Message<byte[]> message) {
        return handle(message);
    }

    @Incoming("autoscaler-reports")
    public CompletionStage<Void> autoscalerReports(Message<byte[]> message) {
        return handle(message);
    }

    @Incoming("bridge-reports")
    public CompletionStage<Void> bridgeReports(Message<byte[]> message) {
        return handle(message);
    }

    CompletionStage<Void> handle(Message<byte[]> message) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordMetadata<String, byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("not a Kafka record"));
        try {
            NestorEvent<JsonNode> event = codec.parse(record.getKey(), record.getHeaders(), message.getPayload());
            String topic = EventTypes.route(event.type()).topic();
            if (!topic.equals(record.getTopic())) {
                throw new MalformedEventException(event.type() + " belongs on " + topic + ", not on " + record.getTopic());
            }
            if (recorded(event)) {
                wake(event.key());
            }
            return message.ack();
        } catch (MalformedEventException e) {
            LOG.warnf("dead-lettering %s-%d@%d (key %s): %s", record.getTopic(), record.getPartition(),
                    record.getOffset(), record.getKey(), e.getMessage());
            OutgoingKafkaRecordMetadata<String> deadLetter = OutgoingKafkaRecordMetadata.<String>builder()
                    .withHeaders(DeadLetterHeaders.of(null, record.getTopic(), record.getPartition(), record.getOffset(),
                            e.getMessage()))
                    .build();
            return message.nack(e, Metadata.of(deadLetter));
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
