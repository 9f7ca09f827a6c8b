package io.eventprocessor.ingest;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.InvalidEventsException;

/**
 * Turns a {@code POST /events} body into the events to publish, all or nothing: read by the {@link EventReader}, at
 * most {@code processor.ingest.max-batch-size} of them, each given an id when it has none.
 */
@ApplicationScoped
public class EventRequestParser {

    private final EventReader reader;
    private final int maxBatchSize;

    public EventRequestParser(EventReader reader, ProcessorConfig config) {
        this.reader = reader;
        this.maxBatchSize = config.ingest().maxBatchSize();
    }

    /**
     * @return the events in request order, each with an id
     * @throws InvalidEventsException naming every problem found
     */
    public List<Event> parse(byte[] body) {
        return reader.readRequest(body, maxBatchSize).stream()
                .map(event -> event.id() != null
                        ? event
                        : event.withId(UUID.randomUUID().toString()))
                .toList();
    }
}
