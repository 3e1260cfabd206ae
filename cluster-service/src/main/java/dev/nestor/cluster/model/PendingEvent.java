package dev.nestor.cluster.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A recorded lifecycle event waiting for Kafka's acknowledgement. {@code time} and {@code data}
 * are kept as the exact strings that go on the wire, so a re-publish is byte-identical.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PendingEvent {
    public Long sequence;
    /** The CloudEvents type, e.g. dev.nestor.cluster.ready. */
    public String type;
    /** RFC 3339 time, as published. */
    public String time;
    /** The JSON body, as published. */
    public String data;

    public PendingEvent() {
    }

    public PendingEvent(long sequence, String type, String time, String data) {
        this.sequence = sequence;
        this.type = type;
        this.time = time;
        this.data = data;
    }
}
