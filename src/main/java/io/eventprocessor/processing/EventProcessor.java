package io.eventprocessor.processing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.delivery.OutputWriter;
import io.eventprocessor.delivery.RecordLogFields;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.event.UnreadableEventException;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.partitions.KeyOrderGate;
import io.eventprocessor.partitions.PartitionPickup;
import io.eventprocessor.partitions.ProcessingProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Processes every record of the consumed topics into the processed topic of each, a polled batch at a time, in
 * order, on a worker thread: each record read ({@link UnreadableEventException}: dead letter at once), enriched with
 * retries in rounds over the batch ({@code processor.processing.*}; {@link ProcessingFailedException}: dead letter),
 * then the whole batch handed to the {@link OutputWriter} of {@code processor.delivery}, which returns once its
 * outputs are stored. Each record through the step counts as progress for the stall rule. The failure policy and why
 * batches: docs/design.md, "What happens to an event".
 */
@ApplicationScoped
// Created at start-up, so that its counters are exported (at 0) before the first record: a counter that appears
// with its first increment never shows that increment to increase() or rate(), and the dead-letter alert misses it.
@Startup
public class EventProcessor {

    private static final Duration HISTORIES_WAIT = Duration.ofMinutes(2);
    private static final Duration RELEASE_RETRY = Duration.ofSeconds(5);

    private final EventReader reader;
    private final EventEnricher enricher;
    private final OutputWriter writer;
    private final ProcessorConfig.Processing policy;
    private final Counter processed;
    private final Counter deadLettered;
    private final Timer processing;
    private final PartitionPickup pickup;
    private final ProcessingProgress progress;
    private final KeyOrderGate gate;
    private final Clock clock;
    private final ReentrantLock rounds = new ReentrantLock();
    private volatile Instant nextRelease = Instant.MIN;
    private ScheduledExecutorService releaser;

    public EventProcessor(
            EventReader reader,
            EventEnricher enricher,
            OutputWriter writer,
            ProcessorConfig config,
            MeterRegistry registry,
            PartitionPickup pickup,
            ProcessingProgress progress,
            KeyOrderGate gate,
            Clock clock) {
        this.gate = gate;
        this.clock = clock;
        this.pickup = pickup;
        this.progress = progress;
        this.reader = reader;
        this.enricher = enricher;
        this.writer = writer;
        this.policy = config.processing();
        this.processed = Counter.builder("event_processor.records.processed")
                .description("Records processed into the processed topic")
                .register(registry);
        this.deadLettered = Counter.builder("event_processor.records.dead.lettered")
                .description("Records sent to the dead-letter topic")
                .register(registry);
        this.processing = Timer.builder("event_processor.processing")
                .description("Time to turn one record into a processed event, retries included")
                .register(registry);
    }

    @Incoming(Channels.EVENTS_IN)
    @Blocking
    public void process(
            ConsumerRecords<byte[], byte[]> records, IncomingKafkaRecordBatchMetadata<byte[], byte[]> poll) {
        awaitGrowthHistories();
        rounds.lock();
        try {
            processAll(gate.admit(records, generation(poll)));
        } finally {
            rounds.unlock();
        }
        pickup.processed(records.partitions());
    }

    /** Processes the held records whose wait is over, when no poll brings them along (key order). */
    void releaseHeld() {
        if (!gate.holding() || clock.instant().isBefore(nextRelease)) {
            return;
        }
        rounds.lock();
        KeyOrderGate.Admitted released = null;
        try {
            released = gate.released();
            processAll(released);
        } catch (RuntimeException e) {
            if (released != null) {
                gate.holdAgain(released);
            }
            nextRelease = clock.instant().plus(RELEASE_RETRY);
            Log.warnf("Could not process the records released from their hold, retrying in %s: %s", RELEASE_RETRY, e);
        } finally {
            rounds.unlock();
        }
    }

    private void awaitGrowthHistories() {
        Instant giveUp = clock.instant().plus(HISTORIES_WAIT);
        while (!gate.ready()) {
            if (clock.instant().isAfter(giveUp)) {
                throw new IllegalStateException("the growth histories of the consumed topics (processor.key-order."
                        + "growth-topic) could not be read within " + HISTORIES_WAIT + ": records cannot be judged for"
                        + " key order (processor.key-order.enabled=false processes them without)");
            }
            pause(Duration.ofMillis(100), 0);
        }
    }

    private void processAll(KeyOrderGate.Admitted admitted) {
        if (admitted.isEmpty()) {
            return;
        }
        List<ConsumerRecord<byte[], byte[]>> records = admitted.records();
        if (!admitted.changed().isEmpty() && !records.isEmpty()) {
            // What is held changed: committed first, so that a step that hangs on a released record is seen stalled,
            // not held.
            writer.writeAll(new OutputWriter.Batch(List.of(), -1, admitted.changed()));
        }
        List<Attempt> batch = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Attempt attempt = new Attempt(record, System.nanoTime());
            try {
                attempt.event = reader.readRecord(record.value());
                enrich(attempt);
            } catch (UnreadableEventException unreadable) {
                attempt.done(unreadable);
            }
            batch.add(attempt);
        }
        retryInRounds(batch);
        List<OutputWriter.Output> outputs = new ArrayList<>(batch.size());
        for (Attempt attempt : batch) {
            processing.record(attempt.finishedAt - attempt.startedAt, TimeUnit.NANOSECONDS);
            outputs.add(new OutputWriter.Output(
                    attempt.record,
                    attempt.result,
                    attempt.failure,
                    attempt.event == null ? null : attempt.event.id()));
        }
        OutputWriter.Written written =
                writer.writeAll(new OutputWriter.Batch(outputs, admitted.generation(), admitted.changed()));
        processed.increment(written.processed());
        deadLettered.increment(written.deadLettered());
    }

    void startReleaser(@Observes StartupEvent event) {
        if (!gate.enabled()) {
            return;
        }
        releaser = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "key-order-release");
            thread.setDaemon(true);
            return thread;
        });
        releaser.scheduleWithFixedDelay(this::releaseHeld, 250, 250, TimeUnit.MILLISECONDS);
    }

    void stopReleaser(@Observes ShutdownEvent event) {
        if (releaser != null) {
            releaser.shutdownNow();
        }
    }

    /** The group generation of the poll that read the batch (the oldest, should it span several). */
    private static int generation(IncomingKafkaRecordBatchMetadata<byte[], byte[]> poll) {
        int oldest = poll.getConsumerGroupGenerationId();
        for (Message<?> message : poll.getBatchedMessages()) {
            Optional<IncomingKafkaRecordMetadata> record = message.getMetadata(IncomingKafkaRecordMetadata.class);
            if (record.isPresent()) {
                oldest = Math.min(oldest, record.get().getConsumerGroupGenerationId());
            }
        }
        return oldest;
    }

    /** Retries every failed record of the batch together, one shared back-off per round. */
    private void retryInRounds(List<Attempt> batch) {
        int attempts = policy.maxAttempts();
        int round = 1;
        for (Duration wait : policy.retryWaits()) {
            List<Attempt> failed = batch.stream().filter(Attempt::pending).toList();
            if (failed.isEmpty()) {
                return;
            }
            if (Log.isDebugEnabled()) {
                Attempt first = failed.get(0);
                String message = String.format(
                        "Processing of %d record(s) failed (attempt %d of %d), retrying in %s; " + "first: %s",
                        failed.size(), round, attempts, wait, first.lastFailure);
                RecordLogFields.around(first.record, first.event.id(), () -> Log.debug(message));
            }
            pause(wait, failed.size());
            failed.forEach(this::enrich);
            round++;
        }
        batch.stream()
                .filter(Attempt::pending)
                .forEach(attempt -> attempt.done(new ProcessingFailedException(attempts, attempt.lastFailure)));
    }

    private void enrich(Attempt attempt) {
        try {
            attempt.done(enricher.enrich(attempt.event, attempt.record));
        } catch (RuntimeException failure) {
            attempt.lastFailure = failure;
        } finally {
            progress.advanced(attempt.record.topic(), attempt.record.partition());
        }
    }

    private static void pause(Duration wait, int waiting) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BatchAbortedException(
                    "interrupted during a retry back-off with " + waiting
                            + " record(s) waiting; the batch is not committed and will be read again",
                    e);
        }
    }

    /** One record's way through the batch: read, attempts of the processing step, outcome. */
    private static final class Attempt {

        final ConsumerRecord<byte[], byte[]> record;
        final long startedAt;
        long finishedAt;
        Event event;
        RuntimeException lastFailure;
        ProcessedEvent result;
        RuntimeException failure;

        Attempt(ConsumerRecord<byte[], byte[]> record, long startedAt) {
            this.record = record;
            this.startedAt = startedAt;
        }

        boolean pending() {
            return result == null && failure == null;
        }

        void done(ProcessedEvent processed) {
            result = processed;
            finishedAt = System.nanoTime();
        }

        void done(RuntimeException deadLetterReason) {
            failure = deadLetterReason;
            finishedAt = System.nanoTime();
        }
    }
}
