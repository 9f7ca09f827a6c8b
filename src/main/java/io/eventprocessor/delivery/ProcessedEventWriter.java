package io.eventprocessor.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.kafka.ChannelProducer;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.partitions.OwnershipFence;
import io.eventprocessor.partitions.RevocationCommit;
import io.eventprocessor.tracing.TraceHeaders;
import io.smallrye.common.annotation.Identifier;

/**
 * At-least-once output ({@code processor.delivery=at-least-once}, the default): writes the processor's output
 * with the Kafka producer of channel {@code events-processed} (configured, secured and monitored by the connector
 * like any channel): processed events as JSON to {@code events-processed}, and records that cannot be processed
 * to {@code events-dlq}, key, value and headers byte for byte as they were consumed, with the reason, topic,
 * partition and offset added as headers (see {@link OutputRecords}).
 * <p>
 * {@link #writeAll(List, int)} returns once the broker stored every output, so that the input is committed
 * only after its output. A write the broker or the producer can never accept (too large, invalid for
 * the topic, not serializable) does not stop the partition: the record is dead-lettered with that
 * reason, and if even its dead letter is refused, a bounded one (reason and origin, value and original
 * headers omitted, {@code dead-letter-truncated} saying so) takes its place. A record that failed only
 * because it shared a produce batch with an invalid one is sent again on its own. Any other failure (broker
 * away, leader moving, timeouts, authorization) may pass: it fails the batch with an
 * {@link OutputFailedException}, nothing is committed, and no record is skipped or dead-lettered for it.
 */
@ApplicationScoped
@Typed(ProcessedEventWriter.class)
public class ProcessedEventWriter implements OutputWriter {

    private final ChannelProducer<byte[], byte[]> producer;
    private final OutputRecords records;
    private final OwnershipFence fence;
    private final RevocationCommit revocationCommit;

    public ProcessedEventWriter(@Identifier(Channels.EVENTS_PROCESSED) ChannelProducer<byte[], byte[]> producer,
            ObjectMapper mapper, ProcessorConfig config, TraceHeaders traces, OwnershipFence fence,
            RevocationCommit revocationCommit) {
        this.producer = producer;
        this.fence = fence;
        this.revocationCommit = revocationCommit;
        this.records = new OutputRecords(mapper, config.topics().processed(), config.topics().deadLetter(), traces);
    }

    /** The producer of channel {@code events-processed}, which the transactional writer shares. */
    ChannelProducer<byte[], byte[]> producer() {
        return producer;
    }

    /** How outputs are written as records, which the transactional writer shares. */
    OutputRecords records() {
        return records;
    }

    /**
     * Writes the outputs of records of partitions still owned, while no revocation can run; the connector commits
     * the batch afterwards, and {@link RevocationCommit} when the partitions are revoked before it did.
     */
    @Override
    public Written writeAll(List<Output> outputs, int polledIn) {
        return fence.writeWhileOwned(outputs, Output::source, polledIn, owned -> {
            OutputRecords.logLeftToNewOwner(outputs.size() - owned.size(), "of partitions revoked since they were read");
            Written written = write(owned);
            revocationCommit.stored(owned.stream().map(Output::source).toList(), polledIn);
            return written;
        });
    }

    private Written write(List<Output> outputs) {
        Producer<byte[], byte[]> kafka = producer.get().unwrap();
        List<Output> planned = new ArrayList<>(outputs.size());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(outputs.size());
        for (Output output : outputs) {
            Output effective = output;
            ProducerRecord<byte[], byte[]> record;
            if (output.processed() != null) {
                try {
                    record = processedRecord(output);
                } catch (OutputRejectedException notWritable) {
                    effective = new Output(output.source(), null, notWritable, output.eventId());
                    record = deadLetter(effective);
                }
            } else {
                record = deadLetter(output);
            }
            planned.add(effective);
            records.add(record);
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size());
        records.forEach(record -> sends.add(send(kafka, record)));
        int processed = 0;
        int deadLettered = 0;
        for (int i = 0; i < planned.size(); i++) {
            Output output = planned.get(i);
            Throwable failure = awaitOutcome(sends.get(i));
            if (failure instanceof InvalidRecordException || failure != null && failure.getClass() == KafkaException.class) {
                // The broker refuses a whole produce batch for one invalid record; the others fail with a bare
                // KafkaException ("part of a batch which had one or more invalid records"). Try this one alone.
                failure = awaitOutcome(sendAlone(kafka, records.get(i)));
            }
            Throwable refused = refusedForGoodOrThrow(failure);
            if (refused == null) {
                if (output.processed() != null) {
                    processed++;
                } else {
                    deadLettered++;
                    OutputRecords.logDeadLetter(output.source(), output.eventId(), output.deadLetterReason().getMessage());
                }
            } else if (output.processed() != null) {
                deadLettered++;
                deadLetterRefusedOutput(kafka, output, refused);
            } else {
                deadLettered++;
                writeBounded(kafka, output, output.deadLetterReason(), refused);
            }
        }
        return new Written(processed, deadLettered);
    }

    /** The processed form was refused for good: the record goes to the dead-letter topic with that reason. */
    private void deadLetterRefusedOutput(Producer<byte[], byte[]> kafka, Output output, Throwable refused) {
        OutputRejectedException reason = new OutputRejectedException(
                "the processed record was refused by " + records.processedTopic() + ": " + refused.getMessage(), refused);
        Throwable deadLetterRefused = awaitStored(sendAlone(kafka, records.deadLetter(output.source(), reason)));
        if (deadLetterRefused == null) {
            OutputRecords.logDeadLetter(output.source(), output.eventId(), reason.getMessage());
        } else {
            writeBounded(kafka, output, reason, deadLetterRefused);
        }
    }

    /** Even the dead letter was refused for good: write one that cannot be too large. */
    private void writeBounded(Producer<byte[], byte[]> kafka, Output output, Throwable reason, Throwable deadLetterRefused) {
        ConsumerRecord<byte[], byte[]> source = output.source();
        Throwable refused = awaitStored(sendAlone(kafka, records.boundedDeadLetter(source, reason, deadLetterRefused)));
        if (refused != null) {
            throw new OutputFailedException(records.deadLetterTopic() + " refused even a bounded dead letter of "
                    + OutputRecords.origin(source) + ": " + refused.getMessage(), refused);
        }
        OutputRecords.logBounded(source, output.eventId(), deadLetterRefused, reason);
    }

    private ProducerRecord<byte[], byte[]> processedRecord(Output output) {
        return records.processed(output.source(), output.processed());
    }

    private ProducerRecord<byte[], byte[]> deadLetter(Output output) {
        return records.deadLetter(output.source(), output.deadLetterReason());
    }

    private static Future<RecordMetadata> send(Producer<byte[], byte[]> kafka, ProducerRecord<byte[], byte[]> record) {
        try {
            return kafka.send(record);
        } catch (SerializationException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Future<RecordMetadata> sendAlone(Producer<byte[], byte[]> kafka, ProducerRecord<byte[], byte[]> record) {
        Future<RecordMetadata> send = send(kafka, record);
        kafka.flush();
        return send;
    }

    /**
     * Waits for the broker's acknowledgement (bounded by the producer's {@code delivery.timeout.ms}).
     *
     * @return {@code null} when stored, or why the write can never succeed
     * @throws OutputFailedException when it was not stored for a reason that may pass
     */
    private static Throwable awaitStored(Future<RecordMetadata> send) {
        return refusedForGoodOrThrow(awaitOutcome(send));
    }

    /** {@code null} when stored, else why not; the transactional writer waits the same way. */
    static Throwable awaitOutcome(Future<RecordMetadata> send) {
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

    private static Throwable refusedForGoodOrThrow(Throwable failure) {
        if (failure == null || OutputRecords.refusedForGood(failure)) {
            return failure;
        }
        throw new OutputFailedException("the broker did not store an output record: " + failure.getMessage(), failure);
    }
}
