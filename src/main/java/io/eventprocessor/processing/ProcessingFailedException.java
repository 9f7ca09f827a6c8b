package io.eventprocessor.processing;

import io.eventprocessor.delivery.OutputWriter;

/**
 * An event whose processing kept failing after every retry; the batch's writer ({@link OutputWriter}) sends it
 * to {@code events-dlq} with this message (attempts and last cause) as the reason.
 */
public class ProcessingFailedException extends RuntimeException {

    public ProcessingFailedException(int attempts, Throwable lastFailure) {
        super("processing failed after " + attempts + " attempt(s): " + lastFailure, lastFailure);
    }
}
