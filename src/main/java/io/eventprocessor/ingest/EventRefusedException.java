package io.eventprocessor.ingest;

import java.util.List;

/**
 * Events that can never be stored as they are, so that a retry cannot help: over
 * {@code processor.ingest.max-event-bytes} or refused by the broker as too large ({@code 413}), or refused
 * by the broker as invalid for the topic, such as a keyless event for a compacted topic ({@code 400}).
 */
public class EventRefusedException extends RuntimeException {

    private final int status;
    private final List<AcceptedEvent> accepted;

    public EventRefusedException(int status, String message, List<AcceptedEvent> accepted) {
        super(message, null, false, false);
        this.status = status;
        this.accepted = List.copyOf(accepted);
    }

    /** {@code 413} (too large) or {@code 400} (invalid for the topic). */
    public int status() {
        return status;
    }

    /** The events of the request that the broker did store before one was refused. */
    public List<AcceptedEvent> accepted() {
        return accepted;
    }
}
