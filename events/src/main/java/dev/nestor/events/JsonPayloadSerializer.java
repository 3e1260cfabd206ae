package dev.nestor.events;

import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of a payload (record, {@code JsonNode}) as canonical JSON, the same bytes
 * {@link CloudEventCodec#body} writes. {@code null} stays {@code null}, which is how a tombstone is sent.
 */
public class JsonPayloadSerializer<T> implements Serializer<T> {

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : EventJson.canonicalBytes(data);
    }
}
