package io.eventprocessor.ingest;

import java.util.List;

/**
 * An event too large to be stored or processed: over {@code processor.ingest.max-event-bytes}, or refused
 * as too large by the broker. Answered {@code 413}; retrying the same event can never succeed.
 */
public class EventTooLargeException extends RuntimeException {

    private final List<AcceptedEvent> accepted;

    public EventTooLargeException(String message, List<AcceptedEvent> accepted) {
        super(message, null, false, false);
        this.accepted = List.copyOf(accepted);
    }

    /** The events of the request that the broker did store before one was refused. */
    public List<AcceptedEvent> accepted() {
        return accepted;
    }
}
