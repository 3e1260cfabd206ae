package dev.nestor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Nestor events on Kafka as CloudEvents 1.0 in binary content mode, through the CloudEvents SDK: {@code ce_*}
 * headers, {@code content-type: application/json}, the canonical JSON payload as the value, {@code <namespace>/<name>}
 * as the key. Encoding the same event twice, or re-encoding a parsed one, gives byte-identical headers and body.
 *
 * <p>Thread-safe; one instance can serve a whole service.
 */
public final class CloudEventCodec {

    /** The only data content type Nestor events use. */
    public static final String CONTENT_TYPE = "application/json";
    /** Kafka header of the content type in binary mode. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** CloudEvents extension: the TenantCluster uid. */
    public static final String EXT_CLUSTER_UID = "clusteruid";
    /** CloudEvents extension: the lifecycle sequence, a decimal integer. */
    public static final String EXT_SEQUENCE = "sequence";
    /** Prefix of the CloudEvents headers in Kafka binary mode. */
    public static final String HEADER_PREFIX = "ce_";

    private static final String TIME_HEADER = "ce_time";
    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX");

    private static final List<String> REQUIRED_HEADERS = List.of("ce_specversion", "ce_id", "ce_source", "ce_type",
            "ce_subject", TIME_HEADER, "ce_dataschema", HEADER_PREFIX + EXT_CLUSTER_UID, CONTENT_TYPE_HEADER);

    /** The record for an event, on the given topic. */
    public ProducerRecord<String, byte[]> toRecord(String topic, NestorEvent<?> event) {
        EventChecks.problem(event).ifPresent(problem -> {
            throw new IllegalArgumentException("not a valid Nestor event: " + problem);
        });
        ProducerRecord<String, byte[]> record =
                KafkaMessageFactory.<String>createWriter(topic, event.key()).writeBinary(cloudEvent(event));
        return new ProducerRecord<>(record.topic(), null, record.key(), record.value(),
                fixedWidthTime(record.headers()));
    }

    /** The record for an event, on the topic its type belongs to ({@link EventTypes#route}). */
    public ProducerRecord<String, byte[]> toRecord(NestorEvent<?> event) {
        return toRecord(EventTypes.route(event.type()).topic(), event);
    }

    /** The Kafka headers of an event (for SmallRye's {@code OutgoingKafkaRecordMetadata}). */
    public Headers headers(NestorEvent<?> event) {
        return toRecord(event).headers();
    }

    /** The record value of an event: its payload as canonical JSON. */
    public byte[] body(NestorEvent<?> event) {
        return EventJson.canonicalBytes(event.data());
    }

    /** Parses a consumed record; see {@link #parse(String, Headers, byte[])}. */
    public NestorEvent<JsonNode> parse(ConsumerRecord<String, byte[]> record) throws MalformedEventException {
        return parse(record.key(), record.headers(), record.value());
    }

    /**
     * Parses a record into an event whose payload is the JSON tree.
     *
     * @throws MalformedEventException when the record is not a valid Nestor event (missing or bad CloudEvents
     *     headers, unknown type, wrong dataschema, body not a JSON object, ...); the message says what is wrong
     */
    public NestorEvent<JsonNode> parse(String key, Headers headers, byte[] body) throws MalformedEventException {
        if (headers == null) {
            throw new MalformedEventException("record has no headers");
        }
        for (String name : REQUIRED_HEADERS) {
            if (headers.lastHeader(name) == null) {
                throw new MalformedEventException("missing header " + name);
            }
        }
        String specVersion = text(headers.lastHeader("ce_specversion"));
        if (!SpecVersion.V1.toString().equals(specVersion)) {
            throw new MalformedEventException("unsupported ce_specversion '" + specVersion + "', expected 1.0");
        }
        String contentType = text(headers.lastHeader(CONTENT_TYPE_HEADER));
        if (!contentType.startsWith(CONTENT_TYPE)) {
            throw new MalformedEventException("content-type is '" + contentType + "', expected " + CONTENT_TYPE);
        }
        if (body == null || body.length == 0) {
            throw new MalformedEventException("record has no body");
        }
        CloudEvent ce;
        try {
            ce = KafkaMessageFactory.createReader(headers, body).toEvent();
        } catch (CloudEventRWException | IllegalStateException | IllegalArgumentException e) {
            throw new MalformedEventException("not a valid CloudEvent: " + e.getMessage(), e);
        }
        JsonNode data = readBody(body);
        NestorEvent<JsonNode> event;
        try {
            event = new NestorEvent<>(ce.getId(), String.valueOf(ce.getSource()), ce.getType(), ce.getSubject(),
                    ce.getTime(), String.valueOf(ce.getDataSchema()), extension(ce, EXT_CLUSTER_UID),
                    sequence(ce), key, data);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("incomplete event: " + e.getMessage(), e);
        }
        Optional<String> problem = EventChecks.problem(event).or(() -> EventChecks.dataProblem(event));
        if (problem.isPresent()) {
            throw new MalformedEventException(problem.get());
        }
        return event;
    }

    /**
     * The payload of a parsed event as its record.
     *
     * @throws MalformedEventException when the payload does not map to the record (missing required fields, wrong
     *     types)
     * @throws IllegalArgumentException when {@code type} is another payload record than the event type carries
     */
    public <T> T data(NestorEvent<JsonNode> event, Class<T> type) throws MalformedEventException {
        Class<?> expected = Schemas.of(event.type()).payloadClass();
        if (Schemas.byPayloadClass(type).isPresent() && expected != type) {
            throw new IllegalArgumentException(
                    event.type() + " carries " + expected.getSimpleName() + ", not " + type.getSimpleName());
        }
        try {
            return EventJson.mapper().treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEventException("payload of " + event.type() + " " + event.id() + " is not a valid "
                    + type.getSimpleName() + ": " + rootMessage(e), e);
        }
    }

    private static CloudEvent cloudEvent(NestorEvent<?> event) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id())
                .withSource(URI.create(event.source()))
                .withType(event.type())
                .withSubject(event.subject())
                .withTime(event.time())
                .withDataSchema(URI.create(event.dataSchema()))
                .withExtension(EXT_CLUSTER_UID, event.clusterUid())
                .withData(CONTENT_TYPE, EventJson.canonicalBytes(event.data()));
        if (event.sequence() != null) {
            builder.withExtension(EXT_SEQUENCE, Long.toString(event.sequence()));
        }
        return builder.build();
    }

    /**
     * The SDK writes the shortest ISO form ({@code .71Z}); Nestor always writes three fraction digits
     * ({@code .710Z}) so that times sort and compare as text. Header order is kept.
     */
    private static Headers fixedWidthTime(Headers written) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : written) {
            if (header.key().equals(TIME_HEADER)) {
                OffsetDateTime time = OffsetDateTime.parse(new String(header.value(), StandardCharsets.UTF_8));
                headers.add(TIME_HEADER, TIME_FORMAT.format(time).getBytes(StandardCharsets.UTF_8));
            } else {
                headers.add(header);
            }
        }
        return headers;
    }

    private static JsonNode readBody(byte[] body) throws MalformedEventException {
        JsonNode data;
        try {
            data = EventJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new MalformedEventException("body is not JSON: " + rootMessage(e), e);
        }
        if (data == null || !data.isObject()) {
            throw new MalformedEventException("body is not a JSON object");
        }
        return data;
    }

    private static String extension(CloudEvent ce, String name) {
        Object value = ce.getExtension(name);
        return value == null ? null : value.toString();
    }

    private static Long sequence(CloudEvent ce) throws MalformedEventException {
        String value = extension(ce, EXT_SEQUENCE);
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            throw new MalformedEventException("ce_sequence '" + value + "' is not a decimal integer");
        }
    }

    private static String text(Header header) {
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root instanceof JsonProcessingException json ? json.getOriginalMessage() : root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
