package dev.nestor.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nestor.events.payload.ClusterLifecycleData;
import dev.nestor.events.payload.ClusterStateSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CloudEventCodecTest {

    private final CloudEventCodec codec = new CloudEventCodec();

    static Stream<String> types() {
        return EventTypes.all().stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void encodesEveryTypeInBinaryModeWithAllAttributes(String type) {
        NestorEvent<Object> event = Samples.event(type);
        ProducerRecord<String, byte[]> record = codec.toRecord(event);

        EventTypes.Route route = EventTypes.route(type);
        assertThat(record.topic()).isEqualTo(route.topic());
        assertThat(record.key()).isEqualTo("tenant-acme/prod");
        Headers headers = record.headers();
        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "ce_type")).isEqualTo(type);
        assertThat(header(headers, "ce_source")).isEqualTo(route.source());
        assertThat(header(headers, "ce_subject")).isEqualTo("tenants/acme/clusters/prod");
        assertThat(header(headers, "ce_time")).isEqualTo("2026-11-25T10:30:15.123Z");
        assertThat(header(headers, "ce_dataschema")).isEqualTo(route.schema().uri())
                .startsWith("https://nestor.dev/schemas/").endsWith("/v1.json");
        assertThat(header(headers, "ce_clusteruid")).isEqualTo(Samples.UID);
        assertThat(header(headers, "content-type")).isEqualTo("application/json");
        if (route.lifecycle()) {
            assertThat(header(headers, "ce_id")).isEqualTo(Samples.UID + ":3");
            assertThat(header(headers, "ce_sequence")).isEqualTo("3");
        } else {
            assertThat(header(headers, "ce_id")).matches("[0-9a-f-]{36}");
            assertThat(headers.lastHeader("ce_sequence")).isNull();
        }
        assertThat(record.value()).isEqualTo(codec.body(event));
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).startsWith("{\"");
    }

    @ParameterizedTest
    @MethodSource("types")
    void parsedEventReEncodesByteIdentically(String type) throws MalformedEventException {
        NestorEvent<Object> event = Samples.event(type);
        ProducerRecord<String, byte[]> record = codec.toRecord(event);

        NestorEvent<JsonNode> parsed = codec.parse(record.key(), record.headers(), record.value());
        ProducerRecord<String, byte[]> again = codec.toRecord(parsed);

        assertThat(again.value()).isEqualTo(record.value());
        assertThat(headerList(again.headers())).isEqualTo(headerList(record.headers()));
        assertThat(again.key()).isEqualTo(record.key());
        assertThat(parsed.withData(event.data())).isEqualTo(event);
        Object typed = codec.data(parsed, Schemas.of(type).payloadClass());
        assertThat(typed).isEqualTo(event.data());
    }

    @Test
    void bodyIsCanonicalWhateverTheKeyOrderOfTheStoredCopy() {
        NestorEvent<Object> event = Samples.event(EventTypes.CLUSTER_READY);
        JsonNode original = EventJson.mapper().valueToTree(event.data());
        List<String> names = new ArrayList<>();
        original.properties().forEach(property -> names.add(property.getKey()));
        Collections.reverse(names);
        ObjectNode reordered = EventJson.mapper().createObjectNode();
        names.forEach(name -> reordered.set(name, original.get(name)));

        assertThat(codec.body(event.withData(reordered))).isEqualTo(codec.body(event));
        assertThat(new String(codec.body(event), StandardCharsets.UTF_8))
                .startsWith("{\"generation\":2,\"message\":\"control plane is available\",\"name\":\"prod\"");
    }

    @Test
    void timeIsNormalisedToUtcMillisecondsAndWrittenWithThreeDigits() throws MalformedEventException {
        NestorEvent<Object> event = Samples.event(EventTypes.CLUSTER_REQUESTED);
        NestorEvent<Object> roundSecond = new NestorEvent<>(event.id(), event.source(), event.type(), event.subject(),
                Samples.TIME.withNano(710_000_000), event.dataSchema(), event.clusterUid(), event.sequence(),
                event.key(), event.data());

        assertThat(event.time()).hasToString("2026-11-25T10:30:15.123Z");
        ProducerRecord<String, byte[]> record = codec.toRecord(roundSecond);
        assertThat(header(record.headers(), "ce_time")).isEqualTo("2026-11-25T10:30:15.710Z");
        assertThat(codec.parse(record.key(), record.headers(), record.value()).time())
                .isEqualTo(roundSecond.time());
    }

    @Test
    void stateSnapshotDropsAddonValues() throws Exception {
        JsonNode spec = EventJson.mapper().readTree(
                "{\"version\":\"v1.34\",\"addons\":{\"cilium\":{\"enabled\":true,\"values\":{\"secret\":\"x\"}}}}");

        JsonNode slim = ClusterStateSnapshot.specWithoutAddonValues(spec);

        assertThat(slim.toString()).isEqualTo("{\"version\":\"v1.34\",\"addons\":{\"cilium\":{\"enabled\":true}}}");
        assertThat(spec.at("/addons/cilium/values/secret").asText()).isEqualTo("x");
    }

    @Test
    void rejectsMissingId() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.CLUSTER_READY));
        record.headers().remove("ce_id");

        assertMalformed(record.key(), record.headers(), record.value(), "missing header ce_id");
    }

    @Test
    void rejectsBadSpecVersion() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.CLUSTER_READY));
        record.headers().remove("ce_specversion").add("ce_specversion", bytes("0.3"));

        assertMalformed(record.key(), record.headers(), record.value(), "unsupported ce_specversion '0.3'");
    }

    @Test
    void rejectsNonJsonBody() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.ADDON_INSTALLED));

        assertMalformed(record.key(), record.headers(), bytes("not json {"), "body is not JSON");
        assertMalformed(record.key(), record.headers(), bytes("[1,2]"), "body is not a JSON object");
        assertMalformed(record.key(), record.headers(), new byte[0], "record has no body");
    }

    @Test
    void rejectsUnknownType() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.ADDON_INSTALLED));
        record.headers().remove("ce_type").add("ce_type", bytes("dev.nestor.addon.exploded"));

        assertMalformed(record.key(), record.headers(), record.value(),
                "unknown event type 'dev.nestor.addon.exploded'");
    }

    @Test
    void rejectsEnvelopeThatBreaksTheContract() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.CLUSTER_READY));

        Headers wrongId = copy(record.headers());
        wrongId.remove("ce_id").add("ce_id", bytes(Samples.UID + ":4"));
        assertMalformed(record.key(), wrongId, record.value(), "is not <clusteruid>:<sequence>");

        Headers noSequence = copy(record.headers());
        noSequence.remove("ce_sequence");
        assertMalformed(record.key(), noSequence, record.value(), "needs a sequence");

        Headers badSequence = copy(record.headers());
        badSequence.remove("ce_sequence").add("ce_sequence", bytes("three"));
        assertMalformed(record.key(), badSequence, record.value(), "ce_sequence 'three' is not a decimal integer");

        Headers otherSchema = copy(record.headers());
        otherSchema.remove("ce_dataschema")
                .add("ce_dataschema", bytes("https://nestor.dev/schemas/cluster-lifecycle/v2.json"));
        assertMalformed(record.key(), otherSchema, record.value(), "needs dataschema");

        Headers otherSource = copy(record.headers());
        otherSource.remove("ce_source").add("ce_source", bytes("/nestor/csi-bridge"));
        assertMalformed(record.key(), otherSource, record.value(), "must come from source /nestor/cluster-service");

        Headers otherCluster = copy(record.headers());
        otherCluster.remove("ce_clusteruid").add("ce_clusteruid", bytes("other-uid"));
        otherCluster.remove("ce_id").add("ce_id", bytes("other-uid:3"));
        assertMalformed(record.key(), otherCluster, record.value(), "payload is about cluster uid");

        Headers xml = copy(record.headers());
        xml.remove("content-type").add("content-type", bytes("application/xml"));
        assertMalformed(record.key(), xml, record.value(), "content-type is 'application/xml'");

        assertMalformed(null, record.headers(), record.value(), "key");
        assertMalformed("prod", record.headers(), record.value(), "record key 'prod' is not <namespace>/<name>");
        assertMalformed(record.key(), new RecordHeaders(), record.value(), "missing header ce_specversion");
    }

    @Test
    void rejectsPayloadThatDoesNotMapToItsRecord() throws MalformedEventException {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.CLUSTER_READY));
        byte[] noPhase = bytes("{\"tenant\":\"acme\",\"namespace\":\"tenant-acme\",\"name\":\"prod\",\"uid\":\""
                + Samples.UID + "\",\"generation\":2,\"sequence\":3}");
        NestorEvent<JsonNode> parsed = codec.parse(record.key(), record.headers(), noPhase);

        assertThatThrownBy(() -> codec.data(parsed, ClusterLifecycleData.class))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("is not a valid ClusterLifecycleData")
                .hasMessageContaining("phase is required");
        assertThatThrownBy(() -> codec.data(parsed, ClusterStateSnapshot.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carries ClusterLifecycleData");
    }

    @Test
    void refusesToEncodeAnInvalidEvent() {
        NestorEvent<Object> event = Samples.event(EventTypes.ADDON_INSTALLED);
        NestorEvent<Object> withSequence = new NestorEvent<>(event.id(), event.source(), event.type(),
                event.subject(), event.time(), event.dataSchema(), event.clusterUid(), 7L, event.key(), event.data());

        assertThatThrownBy(() -> codec.toRecord(withSequence))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a state report and carries no sequence");
    }

    @Test
    void deadLetterHeadersKeepTheOriginalAndSayWhy() {
        ProducerRecord<String, byte[]> record = codec.toRecord(Samples.event(EventTypes.ADDON_INSTALLED));

        Headers dlq = DeadLetterHeaders.of(record.headers(), Topics.ADDONS, 7, 42L, "body is not JSON");

        assertThat(header(dlq, DeadLetterHeaders.ERROR)).isEqualTo("body is not JSON");
        assertThat(header(dlq, DeadLetterHeaders.TOPIC)).isEqualTo("nestor.addons");
        assertThat(header(dlq, DeadLetterHeaders.PARTITION)).isEqualTo("7");
        assertThat(header(dlq, DeadLetterHeaders.OFFSET)).isEqualTo("42");
        assertThat(header(dlq, "ce_type")).isEqualTo(EventTypes.ADDON_INSTALLED);
    }

    private void assertMalformed(String key, Headers headers, byte[] body, String message) {
        assertThatThrownBy(() -> codec.parse(key, headers, body))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining(message);
    }

    private static Headers copy(Headers headers) {
        RecordHeaders copy = new RecordHeaders();
        headers.forEach(h -> copy.add(h.key(), h.value()));
        return copy;
    }

    private static List<String> headerList(Headers headers) {
        List<String> list = new ArrayList<>();
        for (Header h : headers) {
            list.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
        }
        return list;
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
