package io.eventprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.ProcessedEvent;

/**
 * The processing step proper: turns a valid event into a processed one. Anything it throws is treated
 * as a possibly transient failure and retried by {@link EventProcessor} per {@code processor.processing.*}.
 */
@ApplicationScoped
public class EventEnricher {

    private final InstanceName instance;
    private final Clock clock;

    public EventEnricher(InstanceName instance, Clock clock) {
        this.clock = clock;
        this.instance = instance;
    }

    /** Adds where the event came from, when and by whom it was processed. */
    public ProcessedEvent enrich(Event event, ConsumerRecord<byte[], byte[]> record) {
        String id = event.id() != null ? event.id() : record.topic() + "-" + record.partition() + "-" + record.offset();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new ProcessedEvent(
                id,
                key,
                event.type(),
                event.payload(),
                new ProcessedEvent.Source(record.topic(), record.partition(), record.offset()),
                Instant.now(clock),
                instance.value());
    }
}
