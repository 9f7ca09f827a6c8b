package io.eventprocessor.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.eventprocessor.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Processes every record of topic {@code events} into topic {@code events-processed}, a polled batch at
 * a time, in order, on a worker thread.
 * <p>
 * At-least-once: every output record of a batch is sent, then the broker's acknowledgements are awaited,
 * and only then does the method return and the connector acknowledge the batch (its offsets are
 * committed). If output cannot be stored ({@link OutputFailedException}) the batch is not acknowledged:
 * the channel fails and its records are read again after the restart.
 * <p>
 * Failure policy, per record, in two kinds:
 * <ul>
 * <li>a record that is not a valid event (not JSON, no {@code type}, no value) can never succeed: it
 * fails at once with an {@link UnreadableEventException};</li>
 * <li>a failure of the processing step ({@link EventEnricher}) may be transient: it is retried up to
 * {@code processor.processing.max-attempts} attempts in all, waiting {@code processor.processing.retry-backoff}
 * before the second and twice as long before each further one (capped at 10 times it); then it fails
 * with a {@link ProcessingFailedException}.</li>
 * </ul>
 * Either way {@link ProcessedEventWriter} writes the record to {@code events-dlq} with the reason, topic,
 * partition and offset in its headers, and the partition moves on.
 * <p>
 * Why batches and one producer call per record: the connector's per-message path (a message, an
 * acknowledgement chain and a context switch for each record in and out) cost more CPU than the
 * processing itself; the benchmark (README "Performance") measures the difference.
 */
@ApplicationScoped
public class EventProcessor {

    private final EventReader reader;
    private final EventEnricher enricher;
    private final ProcessedEventWriter writer;
    private final ProcessorConfig.Processing policy;
    private final Counter processed;
    private final Counter deadLettered;
    private final Timer processing;

    public EventProcessor(EventReader reader, EventEnricher enricher, ProcessedEventWriter writer, ProcessorConfig config,
            MeterRegistry registry) {
        this.reader = reader;
        this.enricher = enricher;
        this.writer = writer;
        this.policy = config.processing();
        this.processed = Counter.builder("event_processor.records.processed")
                .description("Records processed into the processed topic").register(registry);
        this.deadLettered = Counter.builder("event_processor.records.dead.lettered")
                .description("Records sent to the dead-letter topic").register(registry);
        this.processing = Timer.builder("event_processor.processing")
                .description("Time to turn one record into a processed event, retries included").register(registry);
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public void process(ConsumerRecords<String, String> records) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            sends.add(processOne(record));
        }
        writer.awaitAcknowledged(sends);
    }

    private Future<RecordMetadata> processOne(ConsumerRecord<String, String> record) {
        long start = System.nanoTime();
        try {
            ProcessedEvent result = enrichWithRetries(reader.readRecord(record.value()), record);
            processed.increment();
            return writer.write(record, result);
        } catch (UnreadableEventException | ProcessingFailedException failure) {
            deadLettered.increment();
            Log.infof("Sending %s-%d@%d to the dead-letter topic: %s", record.topic(), record.partition(), record.offset(),
                    failure.getMessage());
            return writer.deadLetter(record, failure);
        } finally {
            processing.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private ProcessedEvent enrichWithRetries(Event event, ConsumerRecord<String, String> record) {
        int attempts = Math.max(1, policy.maxAttempts());
        Duration wait = policy.retryBackoff();
        Duration longestWait = policy.retryBackoff().multipliedBy(10);
        for (int attempt = 1;; attempt++) {
            try {
                return enricher.enrich(event, record);
            } catch (RuntimeException failure) {
                if (attempt >= attempts) {
                    throw new ProcessingFailedException(attempts, failure);
                }
                Log.debugf("Processing %s-%d@%d failed (attempt %d), retrying in %s: %s", record.topic(),
                        record.partition(), record.offset(), attempt, wait, failure);
                pause(wait, failure);
                wait = wait.multipliedBy(2).compareTo(longestWait) > 0 ? longestWait : wait.multipliedBy(2);
            }
        }
    }

    private static void pause(Duration wait, RuntimeException failure) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessingFailedException(1, failure);
        }
    }
}
