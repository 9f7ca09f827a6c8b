package io.eventprocessor.ingest;

/** A request body over {@code processor.ingest.max-body-bytes}; answered {@code 413}, closing the connection. */
public class BodyTooLargeException extends RuntimeException {

    private BodyTooLargeException(String message) {
        super(message, null, false, false);
    }

    /** A body whose {@code Content-Length} says it is too large: refused before it is read. */
    static BodyTooLargeException declared(long length, int limit) {
        return new BodyTooLargeException("the body has " + length + " bytes, over processor.ingest.max-body-bytes="
                + limit + "; it was not read");
    }

    /** A body without a declared length that grew past the limit while it streamed in. */
    static BodyTooLargeException atLeast(long received, int limit) {
        return new BodyTooLargeException("the body has more than " + limit + " bytes (" + received
                + " received), over processor.ingest.max-body-bytes=" + limit + "; the rest was not read");
    }
}
