package io.eventprocessor.ingest;

/** A request body over {@code processor.ingest.max-body-bytes}; answered {@code 413}. */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(long size, int limit) {
        super("the body has " + size + " bytes, the limit is " + limit, null, false, false);
    }
}
