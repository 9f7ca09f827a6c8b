package io.eventprocessor.processing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import io.eventprocessor.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Processes every record of topic {@code events} into topic {@code events-processed}.
 * <p>
 * At-least-once: the input offset is committed only after the output record was acknowledged by the
 * broker (a payload-to-payload processor acknowledges its input after its output). Records are
 * processed one after the other, in order.
 * <p>
 * Failure policy, in two kinds:
 * <ul>
 * <li>a record that is not a valid event (not JSON, no {@code type}, no value) can never succeed: it
 * fails at once with an {@link UnreadableEventException};</li>
 * <li>a failure of the processing step ({@link EventEnricher}) may be transient: it is retried up to
 * {@code processor.processing.max-attempts} attempts in all, with exponential back-off from
 * {@code processor.processing.retry-backoff} (capped at 10 times that), without blocking a thread;
 * then it fails with a {@link ProcessingFailedException}.</li>
 * </ul>
 * Either way the connector's dead-letter strategy writes the record to {@code events-dlq} with the
 * reason, topic, partition and offset in its headers, and the partition moves on.
 */
@ApplicationScoped
public class EventProcessor {

    private final EventReader reader;
    private final EventEnricher enricher;
    private final ProcessorConfig.Processing policy;
    private final Counter processed;
    private final Counter deadLettered;
    private final Timer processing;

    public EventProcessor(EventReader reader, EventEnricher enricher, ProcessorConfig config, MeterRegistry registry) {
        this.reader = reader;
        this.enricher = enricher;
        this.policy = config.processing();
        this.processed = Counter.builder("event_processor.records.processed")
                .description("Records processed into the processed topic").register(registry);
        this.deadLettered = Counter.builder("event_processor.records.dead.lettered")
                .description("Records sent to the dead-letter topic").register(registry);
        this.processing = Timer.builder("event_processor.processing")
                .description("Time to turn one record into a processed event, retries included").register(registry);
    }

    /**
     * The common case costs no reactive operators: a readable event that the processing step turns
     * into a processed one on the first attempt is answered with an already-resolved Uni. Only a
     * failed first attempt takes the retrying path.
     */
    @Incoming(Channels.EVENTS_IN)
    @Outgoing(Channels.EVENTS_PROCESSED)
    public Uni<Record<String, ProcessedEvent>> process(ConsumerRecord<String, String> record) {
        long start = System.nanoTime();
        Event event;
        try {
            event = reader.readRecord(record.value());
        } catch (UnreadableEventException unreadable) {
            return deadLetter(record, unreadable, start);
        }
        try {
            return processed(record, enricher.enrich(event, record), start);
        } catch (RuntimeException firstFailure) {
            Log.debugf("Processing %s-%d@%d failed, will retry: %s", record.topic(), record.partition(), record.offset(),
                    firstFailure);
            return retry(event, record, firstFailure)
                    .onItemOrFailure().transformToUni((result, failure) -> failure == null
                            ? processed(record, result, start)
                            : deadLetter(record, failure, start));
        }
    }

    private Uni<Record<String, ProcessedEvent>> processed(ConsumerRecord<String, String> record, ProcessedEvent result,
            long start) {
        processed.increment();
        processing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return Uni.createFrom().item(Record.of(record.key(), result));
    }

    private Uni<Record<String, ProcessedEvent>> deadLetter(ConsumerRecord<String, String> record, Throwable failure,
            long start) {
        deadLettered.increment();
        processing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        Log.infof("Sending %s-%d@%d to the dead-letter topic: %s", record.topic(), record.partition(), record.offset(),
                failure.getMessage());
        return Uni.createFrom().failure(failure);
    }

    /**
     * The attempts after a failed first one, without blocking a thread between them: the second after
     * {@code retry-backoff}, each further one after twice the previous wait (capped at 10 times it).
     */
    private Uni<ProcessedEvent> retry(Event event, ConsumerRecord<String, String> record, RuntimeException firstFailure) {
        int attempts = Math.max(1, policy.maxAttempts());
        Duration backoff = policy.retryBackoff();
        Uni<ProcessedEvent> remaining = Uni.createFrom().failure(firstFailure);
        if (attempts > 1) {
            Uni<ProcessedEvent> attempt = Uni.createFrom().item(() -> enricher.enrich(event, record));
            if (attempts > 2) {
                attempt = attempt
                        .onFailure().invoke(failure -> Log.debugf("Processing %s-%d@%d failed, will retry: %s",
                                record.topic(), record.partition(), record.offset(), failure))
                        .onFailure().retry().withBackOff(backoff.multipliedBy(2), backoff.multipliedBy(10))
                        .atMost(attempts - 2);
            }
            Uni<ProcessedEvent> attemptsAfterTheWait = attempt;
            remaining = Uni.createFrom().voidItem().onItem().delayIt().by(backoff)
                    .onItem().transformToUni(ignored -> attemptsAfterTheWait);
        }
        return remaining.onFailure().transform(failure -> new ProcessingFailedException(attempts, failure));
    }
}
