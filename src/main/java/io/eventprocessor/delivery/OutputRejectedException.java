package io.eventprocessor.delivery;

/**
 * A record's processed form can never be written (too large for the producer or the broker, invalid for
 * the topic, not serializable): the record goes to the dead-letter topic with this reason instead, and
 * the partition moves on.
 */
public class OutputRejectedException extends RuntimeException {

    public OutputRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
