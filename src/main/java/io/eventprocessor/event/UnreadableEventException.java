package io.eventprocessor.event;

/**
 * A consumed record that is not a valid event. The processor does not retry it: it sends it
 * to the dead-letter topic with this message as the reason.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message, null, false, false);
    }
}
