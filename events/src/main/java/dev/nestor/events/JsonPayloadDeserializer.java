package dev.nestor.events;

import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of a JSON payload into a record (or a {@code JsonNode}). Configure the target type in code
 * through the constructor or, when Kafka instantiates it, with the property {@value #TYPE_CONFIG} (the value
 * deserializer) or {@value #KEY_TYPE_CONFIG} (the key deserializer); without one it yields a {@code JsonNode}. A
 * {@code null} value (a tombstone) stays {@code null}.
 */
public class JsonPayloadDeserializer<T> implements Deserializer<T> {

    /** The class name of the value type. */
    public static final String TYPE_CONFIG = "nestor.payload.type";
    /** The class name of the key type. */
    public static final String KEY_TYPE_CONFIG = "nestor.payload.key.type";

    private Class<?> type;

    /** A deserializer to {@code JsonNode}, or to the type named in the configuration. */
    public JsonPayloadDeserializer() {
        this.type = com.fasterxml.jackson.databind.JsonNode.class;
    }

    public JsonPayloadDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object name = configs.get(isKey ? KEY_TYPE_CONFIG : TYPE_CONFIG);
        if (name instanceof Class<?> clazz) {
            type = clazz;
        } else if (name != null) {
            try {
                type = Class.forName(name.toString(), true, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("payload type " + name + " not found", e);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return (T) EventJson.mapper().readValue(data, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("record on " + topic + " is not a valid " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }
}
