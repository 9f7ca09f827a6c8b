package io.eventprocessor.processing;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import io.eventprocessor.Channels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Processes every record of topic {@code events} into topic {@code events-processed}.
 * <p>
 * At-least-once: the input offset is committed only after the output record was acknowledged by the
 * broker (a payload-to-payload processor acknowledges its input after its output). A record that is
 * not a valid event fails here and the connector's dead-letter strategy moves it to
 * {@code events-dlq} with the reason, topic, partition and offset in its headers.
 */
@ApplicationScoped
public class EventProcessor {

    private final EventReader reader;
    private final InstanceName instance;
    private final Clock clock;
    private final Counter processed;
    private final Counter deadLettered;
    private final Timer processing;

    public EventProcessor(EventReader reader, InstanceName instance, MeterRegistry registry) {
        this.reader = reader;
        this.instance = instance;
        this.clock = Clock.systemUTC();
        this.processed = Counter.builder("event_processor.records.processed")
                .description("Records processed into the processed topic").register(registry);
        this.deadLettered = Counter.builder("event_processor.records.dead.lettered")
                .description("Records sent to the dead-letter topic").register(registry);
        this.processing = Timer.builder("event_processor.processing")
                .description("Time to turn one record into a processed event").register(registry);
    }

    @Incoming(Channels.EVENTS_IN)
    @Outgoing(Channels.EVENTS_PROCESSED)
    public Record<String, ProcessedEvent> process(ConsumerRecord<String, String> record) {
        Timer.Sample sample = Timer.start();
        try {
            Record<String, ProcessedEvent> result = enrich(record);
            processed.increment();
            return result;
        } catch (UnreadableEventException e) {
            deadLettered.increment();
            throw e;
        } finally {
            sample.stop(processing);
        }
    }

    private Record<String, ProcessedEvent> enrich(ConsumerRecord<String, String> record) {
        Event event = reader.readRecord(record.value());
        String id = event.id() != null ? event.id() : record.topic() + "-" + record.partition() + "-" + record.offset();
        ProcessedEvent processed = new ProcessedEvent(id, record.key(), event.type(), event.payload(),
                new ProcessedEvent.Source(record.topic(), record.partition(), record.offset()),
                Instant.now(clock), instance.get());
        Log.debugf("Processed %s from %s-%d@%d", id, record.topic(), record.partition(), record.offset());
        return Record.of(record.key(), processed);
    }
}
