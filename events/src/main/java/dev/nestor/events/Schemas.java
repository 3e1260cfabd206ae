package dev.nestor.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** Maps each event type to its payload's JSON Schema: URI ({@code dataschema}) and classpath resource. */
public final class Schemas {

    private Schemas() {
    }

    /** The payload schema of a known event type. */
    public static PayloadSchema of(String type) {
        return EventTypes.route(type).schema();
    }

    /** The {@code dataschema} URI of a known event type. */
    public static String uriOf(String type) {
        return of(type).uri();
    }

    /** The classpath resource path of the schema of a known event type. */
    public static String resourcePathOf(String type) {
        return of(type).resourcePath();
    }

    /** The payload schema whose {@code $id} is the given URI, if any. */
    public static Optional<PayloadSchema> byUri(String uri) {
        return Arrays.stream(PayloadSchema.values()).filter(s -> s.uri().equals(uri)).findFirst();
    }

    /** The payload schema whose record is the given class, if any. */
    public static Optional<PayloadSchema> byPayloadClass(Class<?> payloadClass) {
        return Arrays.stream(PayloadSchema.values()).filter(s -> s.payloadClass() == payloadClass).findFirst();
    }

    /** The schema document itself, read from this module's classpath. */
    public static String text(PayloadSchema schema) {
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(schema.resourcePath())) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + schema.resourcePath() + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
