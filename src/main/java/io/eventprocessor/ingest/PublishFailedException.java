package io.eventprocessor.ingest;

import java.util.List;

/** The broker did not acknowledge every event of a request in time; answered {@code 503}. */
public class PublishFailedException extends RuntimeException {

    private final List<AcceptedEvent> accepted;

    public PublishFailedException(String message, List<AcceptedEvent> accepted, Throwable cause) {
        super(message, cause);
        this.accepted = List.copyOf(accepted);
    }

    /** The events of the request that the broker did store. */
    public List<AcceptedEvent> accepted() {
        return accepted;
    }
}
