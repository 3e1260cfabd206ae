package dev.nestor.events;

/** A Kafka record that is not a valid Nestor event; the message says what is wrong. Such a record goes to the DLQ. */
public class MalformedEventException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
