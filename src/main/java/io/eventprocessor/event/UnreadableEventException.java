package io.eventprocessor.event;

/**
 * A record on topic {@code events} that is not a valid event. The processor does not retry it: it sends it
 * to {@code events-dlq} with this message as the reason.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message, null, false, false);
    }
}
