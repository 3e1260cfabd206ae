package dev.nestor.sandbox.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.nestor.events.CloudEventCodec;
import dev.nestor.events.MalformedEventException;
import dev.nestor.events.NestorEvent;
import dev.nestor.events.PayloadSchema;
import dev.nestor.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The lifecycle topic read from the beginning, as an integrator reads it. */
final class LifecycleTopic implements AutoCloseable {
    static final List<String> CE_HEADERS = List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject",
            "ce_time", "ce_dataschema", "ce_clusteruid", "ce_sequence", "content-type");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            b -> b.schemaIdResolvers(r -> r.mapPrefix(PayloadSchema.BASE_URI, "classpath:schemas/")));

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    private final CloudEventCodec codec = new CloudEventCodec();

    LifecycleTopic(String bootstrap) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.CLUSTER_LIFECYCLE));
    }

    /** The raw records of one cluster uid, in offset order per partition (one key, so one partition). */
    List<ConsumerRecord<String, byte[]>> recordsOf(String uid) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        return records.stream().filter(r -> {
            Header h = r.headers().lastHeader("ce_clusteruid");
            return h != null && uid.equals(new String(h.value(), StandardCharsets.UTF_8));
        }).toList();
    }

    /** Distinct events of a uid (a redelivery after a crash has the same id and bytes), in order. */
    List<NestorEvent<JsonNode>> eventsOf(String uid) {
        List<NestorEvent<JsonNode>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : recordsOf(uid)) {
            NestorEvent<JsonNode> e = parse(r);
            if (out.stream().noneMatch(seen -> seen.id().equals(e.id()))) {
                out.add(e);
            }
        }
        return out;
    }

    List<String> typesOf(String uid) {
        return eventsOf(uid).stream().map(e -> e.type().substring("dev.nestor.cluster.".length())).toList();
    }

    NestorEvent<JsonNode> parse(ConsumerRecord<String, byte[]> r) {
        try {
            return codec.parse(r);
        } catch (MalformedEventException e) {
            throw new AssertionError("malformed lifecycle event at offset " + r.offset() + ": " + e.getMessage(), e);
        }
    }

    /** Schema violations of a record's body against the schema its dataschema names. */
    static List<String> schemaErrors(ConsumerRecord<String, byte[]> r) {
        String uri = new String(r.headers().lastHeader("ce_dataschema").value(), StandardCharsets.UTF_8);
        Schema schema = SCHEMAS.getSchema(SchemaLocation.of(uri));
        return schema.validate(new String(r.value(), StandardCharsets.UTF_8), InputFormat.JSON).stream()
                .map(Object::toString).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
