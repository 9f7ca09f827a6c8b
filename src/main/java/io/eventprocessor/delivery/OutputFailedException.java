package io.eventprocessor.delivery;

/**
 * The broker did not store output of a batch (after the producer's own retries, bounded by
 * {@code delivery.timeout.ms}). The batch is not acknowledged, so its input is not committed: the
 * channel fails, liveness reports it, and the records are processed again after the restart.
 */
public class OutputFailedException extends RuntimeException {

    public OutputFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
