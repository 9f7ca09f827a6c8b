package io.eventprocessor.ingest;

/** Requests in hand already hold {@code processor.ingest.max-in-flight-bytes}; answered {@code 503} with {@code Retry-After}. */
public class IngestBusyException extends RuntimeException {

    IngestBusyException(long limit) {
        super(
                "requests in hand already hold processor.ingest.max-in-flight-bytes=" + limit + " bytes; nothing of "
                        + "this request was accepted",
                null,
                false,
                false);
    }
}
