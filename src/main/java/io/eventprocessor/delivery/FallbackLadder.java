package io.eventprocessor.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;

import io.eventprocessor.delivery.OutputWriter.Output;
import io.eventprocessor.delivery.OutputWriter.Written;

/**
 * What a record's output becomes when the broker or the producer refuses it for good (too large, invalid for the topic,
 * not serializable), in both delivery modes: its processed record, else a dead letter with that reason, else a bounded
 * dead letter (reason and origin, value and original headers omitted), else the batch fails
 * ({@link OutputFailedException}). Any failure that may pass fails the batch at once: nothing is skipped or
 * dead-lettered for it.
 */
final class FallbackLadder {

    private final OutputRecords records;

    FallbackLadder(OutputRecords records) {
        this.records = records;
    }

    enum Kind {
        PROCESSED,
        DEAD_LETTER,
        BOUNDED
    }

    /**
     * One output on its rung: the record written for it now.
     *
     * @param reason why it is a dead letter, {@code null} while processed
     * @param refused why its full dead letter was refused, when bounded
     */
    record Step(Output output, ProducerRecord<byte[], byte[]> record, Kind kind, Throwable reason, Throwable refused) {

        ConsumerRecord<byte[], byte[]> source() {
            return output.source();
        }
    }

    /** The first rung: the processed record, or a dead letter when there is none or it cannot be built. */
    Step first(Output output) {
        if (output.processed() != null) {
            try {
                return new Step(
                        output, records.processed(output.source(), output.processed()), Kind.PROCESSED, null, null);
            } catch (OutputRejectedException notWritable) {
                return deadLetter(output, notWritable);
            }
        }
        return deadLetter(output, output.deadLetterReason());
    }

    /**
     * The next rung, now that {@code step}'s record was refused for good.
     *
     * @throws OutputFailedException when even a bounded dead letter was refused
     */
    Step next(Step step, Throwable refusal) {
        return switch (step.kind()) {
            case PROCESSED ->
                deadLetter(
                        step.output(),
                        new OutputRejectedException(
                                "the processed record was refused by " + records.processedTopic(step.source()) + ": "
                                        + refusal.getMessage(),
                                refusal));
            case DEAD_LETTER ->
                new Step(
                        step.output(),
                        records.boundedDeadLetter(step.source(), step.reason(), refusal),
                        Kind.BOUNDED,
                        step.reason(),
                        refusal);
            case BOUNDED ->
                throw new OutputFailedException(
                        records.deadLetterTopic(step.source()) + " refused even a bounded dead letter of "
                                + OutputRecords.origin(step.source()) + ": " + refusal.getMessage(),
                        refusal);
        };
    }

    /**
     * Writes every output outside a transaction and waits until each is stored on some rung: all are sent at once, and
     * only a refused one is sent again, alone, on its next rung.
     *
     * @throws OutputFailedException if one was not stored for a reason that may pass
     */
    Written storeEach(Producer<byte[], byte[]> kafka, List<Output> outputs) {
        List<Step> steps = new ArrayList<>(outputs.size());
        List<Future<RecordMetadata>> sends = new ArrayList<>(outputs.size());
        for (Output output : outputs) {
            Step step = first(output);
            steps.add(step);
            sends.add(send(kafka, step.record()));
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Throwable failure = outcome(sends.get(i));
            if (refusedWithNeighbour(failure)) {
                failure = outcome(sendAlone(kafka, step.record()));
            }
            while (failure != null) {
                step = next(step, refusedForGoodOrThrow(failure));
                failure = outcome(sendAlone(kafka, step.record()));
            }
            steps.set(i, step);
        }
        return written(steps);
    }

    /** What the stored steps came to, each dead letter logged. */
    static Written written(List<Step> steps) {
        int processed = 0;
        for (Step step : steps) {
            String eventId = step.output().eventId();
            switch (step.kind()) {
                case PROCESSED -> processed++;
                case DEAD_LETTER ->
                    OutputRecords.logDeadLetter(
                            step.source(), eventId, step.reason().getMessage());
                case BOUNDED -> OutputRecords.logBounded(step.source(), eventId, step.refused(), step.reason());
            }
        }
        return new Written(processed, steps.size() - processed);
    }

    /** A send; a refusal before sending (the serializer's, or a transaction already in error) as its outcome. */
    static Future<RecordMetadata> send(Producer<byte[], byte[]> kafka, ProducerRecord<byte[], byte[]> record) {
        try {
            return kafka.send(record);
        } catch (KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@code null} when stored, else why not. */
    static Throwable outcome(Future<RecordMetadata> send) {
        try {
            send.get();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutputFailedException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** A failure that no retry can change, returned; any other throws. */
    static Throwable refusedForGoodOrThrow(Throwable failure) {
        if (OutputRecords.refusedForGood(failure)) {
            return failure;
        }
        throw new OutputFailedException("the broker did not store an output record: " + failure.getMessage(), failure);
    }

    private static Future<RecordMetadata> sendAlone(
            Producer<byte[], byte[]> kafka, ProducerRecord<byte[], byte[]> record) {
        Future<RecordMetadata> send = send(kafka, record);
        kafka.flush();
        return send;
    }

    /**
     * The broker refuses a whole produce batch for one invalid record; the others fail with a bare
     * {@link KafkaException} ("part of a batch which had one or more invalid records"): each is tried again alone.
     */
    private static boolean refusedWithNeighbour(Throwable failure) {
        return failure instanceof InvalidRecordException
                || failure != null && failure.getClass() == KafkaException.class;
    }

    private Step deadLetter(Output output, Throwable reason) {
        return new Step(output, records.deadLetter(output.source(), reason), Kind.DEAD_LETTER, reason, null);
    }
}
