package dev.nestor.sandbox.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.EventTypes;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.Topics;
import dev.nestor.events.payload.ClusterLifecycleData;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** {@code ./nestor events} prints one readable line per lifecycle event. */
class EventsTailTest {

    private final EventsTail tail = new EventsTail();

    @Test
    void aLifecycleEventIsOneLineWithTimeTypeSubjectSequenceAndPhase() {
        OffsetDateTime time = OffsetDateTime.of(2026, 11, 25, 10, 0, 0, 0, ZoneOffset.UTC);
        NestorEvent<ClusterLifecycleData> event = NestorEvent.lifecycle(EventTypes.CLUSTER_PROVISIONING, time, "acme",
                "tenant-acme", "demo", "5f0c", 2, new ClusterLifecycleData("acme", "tenant-acme", "demo", "5f0c", 1, 2,
                        "Provisioning", "Pending", null, null));
        ProducerRecord<String, byte[]> produced = new CloudEventCodec().toRecord(event);

        String line = tail.line(consumed(produced.key(), produced.value(), new RecordHeaders(produced.headers()
                .toArray())));

        assertThat(line).startsWith("2026-11-25T10:00Z").contains("cluster.provisioning")
                .contains("tenants/acme/clusters/demo").contains("seq=2").contains("phase=Provisioning")
                .doesNotContain("\n");
    }

    @Test
    void aRecordThatIsNoEventSaysSoInsteadOfStoppingTheTail() {
        String line = tail.line(consumed("tenant-acme/demo", "{}".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders()));

        assertThat(line).contains("offset 7").contains("not a valid event").contains("missing header");
    }

    private static ConsumerRecord<String, byte[]> consumed(String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(Topics.CLUSTER_LIFECYCLE, 3, 7, 0L, TimestampType.CREATE_TIME, -1, -1, key, value,
                headers, Optional.empty());
    }
}
