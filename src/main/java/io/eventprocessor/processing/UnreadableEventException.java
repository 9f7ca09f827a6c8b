package io.eventprocessor.processing;

/**
 * A record on topic {@code events} that is not a valid event. The processor lets it fail, so the
 * connector's dead-letter strategy writes it to {@code events-dlq} with this message as the reason.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message, null, false, false);
    }
}
