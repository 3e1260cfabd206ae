package dev.nestor.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON mapping of event payloads, and their canonical encoding.
 *
 * <p>A body is written <em>canonically</em>: object keys sorted, no whitespace. An event rebuilt from a copy whose
 * key order was lost (the Kubernetes API server re-serialises {@code status.pendingEvents} with sorted keys)
 * therefore encodes to exactly the bytes it had the first time.
 */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Tolerant reader: a newer producer may add optional fields within the same schema version.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventJson() {
    }

    /** The mapper every payload is read and written with. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The canonical JSON bytes of a payload (a record, a {@code JsonNode}, a map). */
    public static byte[] canonicalBytes(Object payload) {
        try {
            return MAPPER.writeValueAsBytes(canonical(MAPPER.valueToTree(payload)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A copy of the tree with every object's keys in sorted order. */
    public static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            object.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode copy = MAPPER.createObjectNode();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = MAPPER.createArrayNode();
            array.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }
}
