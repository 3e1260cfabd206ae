package dev.nestor.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The Kafka headers a dead-lettered record carries on top of its original headers, so that an operator can tell
 * what was wrong and where the record came from.
 */
public final class DeadLetterHeaders {

    /** Why the record could not be handled (e.g. the {@link MalformedEventException} message). */
    public static final String ERROR = "nestor.dlq.error";
    /** The topic the record was read from. */
    public static final String TOPIC = "nestor.dlq.topic";
    /** Its partition, as a decimal string. */
    public static final String PARTITION = "nestor.dlq.partition";
    /** Its offset, as a decimal string. */
    public static final String OFFSET = "nestor.dlq.offset";

    private DeadLetterHeaders() {
    }

    /** The original headers (copied) plus the four dead-letter headers, replacing any earlier ones. */
    public static Headers of(Headers original, String topic, int partition, long offset, String error) {
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith("nestor.dlq.")) {
                    headers.add(header.key(), header.value());
                }
            }
        }
        headers.add(ERROR, utf8(error == null ? "unknown error" : error));
        headers.add(TOPIC, utf8(topic));
        headers.add(PARTITION, utf8(Integer.toString(partition)));
        headers.add(OFFSET, utf8(Long.toString(offset)));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
