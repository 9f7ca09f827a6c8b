package io.eventprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.ChannelProducer;
import io.eventprocessor.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Writes the processor's output with the Kafka producer of channel {@code events-processed} (configured,
 * secured and monitored by the connector like any channel): processed events as JSON to
 * {@code events-processed}, and records that cannot be processed to {@code events-dlq}, key, value and
 * headers byte for byte as they were consumed, with the reason, topic, partition and offset added as
 * headers (the connector's dead-letter header names).
 * <p>
 * {@link #writeAll(List)} returns once the broker stored every output, so that the input is committed
 * only after its output. A write the broker or the producer can never accept (too large, invalid for
 * the topic, not serializable) does not stop the partition: the record is dead-lettered with that
 * reason, and if even its dead letter is refused, a bounded one (reason and origin, value and original
 * headers omitted, {@code dead-letter-truncated} saying so) takes its place. A record that failed only
 * because it shared a produce batch with an invalid one is sent again on its own. Any other failure (broker
 * away, leader moving, timeouts, authorization) may pass: it fails the batch with an
 * {@link OutputFailedException}, nothing is committed, and no record is skipped or dead-lettered for it.
 */
@ApplicationScoped
public class ProcessedEventWriter {

    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";
    static final String ORIGINAL_SIZE = "dead-letter-original-value-size";
    static final String TRUNCATED = "dead-letter-truncated";

    /** Longest reason kept in a bounded dead letter, in characters. */
    private static final int BOUNDED_REASON_CHARS = 1000;
    /** Longest key kept in a bounded dead letter, in bytes. */
    private static final int BOUNDED_KEY_BYTES = 1024;

    private final ChannelProducer<byte[], byte[]> producer;
    private final ObjectMapper mapper;
    private final String processedTopic;
    private final String deadLetterTopic;

    /**
     * One record's output: its processed form, or the reason it goes to the dead-letter topic.
     *
     * @param source the consumed record
     * @param processed the processed event, or {@code null}
     * @param deadLetterReason why the record cannot be processed, when {@code processed} is {@code null}
     */
    public record Output(ConsumerRecord<byte[], byte[]> source, ProcessedEvent processed, RuntimeException deadLetterReason) {
    }

    /**
     * What a batch's output came to.
     *
     * @param processed records written to the processed topic
     * @param deadLettered records written to the dead-letter topic
     */
    public record Written(int processed, int deadLettered) {
    }

    /**
     * @param channel not written to: it connects channel {@code events-processed}, so that the connector
     *        creates (and monitors) its producer, which {@code clients} hands out
     */
    public ProcessedEventWriter(@Channel(Channels.EVENTS_PROCESSED) Emitter<byte[]> channel, KafkaClientService clients,
            ObjectMapper mapper, ProcessorConfig config) {
        this.producer = new ChannelProducer<>(clients, Channels.EVENTS_PROCESSED);
        this.mapper = mapper;
        this.processedTopic = config.topics().processed();
        this.deadLetterTopic = config.topics().deadLetter();
    }

    /**
     * Writes every output, in order, and waits until the broker stored each (or its dead letter).
     *
     * @throws OutputFailedException if an output was not stored for a reason that may pass
     */
    public Written writeAll(List<Output> outputs) {
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
                    effective = new Output(output.source(), null, notWritable);
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
                    logDeadLetter(output.source(), output.deadLetterReason().getMessage());
                }
            } else if (output.processed() != null) {
                deadLettered++;
                deadLetterRefusedOutput(kafka, output, refused);
            } else {
                deadLettered++;
                writeBounded(kafka, output.source(), output.deadLetterReason(), refused);
            }
        }
        return new Written(processed, deadLettered);
    }

    /** The processed form was refused for good: the record goes to the dead-letter topic with that reason. */
    private void deadLetterRefusedOutput(Producer<byte[], byte[]> kafka, Output output, Throwable refused) {
        OutputRejectedException reason = new OutputRejectedException(
                "the processed record was refused by " + processedTopic + ": " + refused.getMessage(), refused);
        Throwable deadLetterRefused = awaitStored(sendAlone(kafka, deadLetter(output.source(), reason)));
        if (deadLetterRefused == null) {
            logDeadLetter(output.source(), reason.getMessage());
        } else {
            writeBounded(kafka, output.source(), reason, deadLetterRefused);
        }
    }

    /** Even the dead letter was refused for good: write one that cannot be too large. */
    private void writeBounded(Producer<byte[], byte[]> kafka, ConsumerRecord<byte[], byte[]> source, Throwable reason,
            Throwable deadLetterRefused) {
        Throwable refused = awaitStored(sendAlone(kafka, boundedDeadLetter(source, reason, deadLetterRefused)));
        if (refused != null) {
            throw new OutputFailedException(deadLetterTopic + " refused even a bounded dead letter of " + origin(source) + ": "
                    + refused.getMessage(), refused);
        }
        Log.warnf("Sending %s to the dead-letter topic without its value and headers (%s): %s", origin(source),
                deadLetterRefused.getMessage(), reason.getMessage());
    }

    private ProducerRecord<byte[], byte[]> processedRecord(Output output) {
        try {
            return new ProducerRecord<>(processedTopic, output.source().key(), mapper.writeValueAsBytes(output.processed()));
        } catch (JsonProcessingException e) {
            throw new OutputRejectedException("the processed event cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ProducerRecord<byte[], byte[]> deadLetter(Output output) {
        return deadLetter(output.source(), output.deadLetterReason());
    }

    /** The consumed record, key, value and headers unchanged, with why and where from added as headers. */
    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, Throwable reason) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        describe(headers, source, reason, Integer.MAX_VALUE);
        return new ProducerRecord<>(deadLetterTopic, null, source.key(), source.value(), headers);
    }

    /** Reason (cut), origin and original size only: what is left when the full dead letter is refused. */
    private ProducerRecord<byte[], byte[]> boundedDeadLetter(ConsumerRecord<byte[], byte[]> source, Throwable reason,
            Throwable refused) {
        Headers headers = new RecordHeaders();
        describe(headers, source, reason, BOUNDED_REASON_CHARS);
        add(headers, ORIGINAL_SIZE, String.valueOf(source.value() == null ? 0 : source.value().length));
        add(headers, TRUNCATED, cut("value and original headers omitted: the full dead letter was refused: "
                + refused.getMessage(), BOUNDED_REASON_CHARS));
        byte[] key = source.key() != null && source.key().length <= BOUNDED_KEY_BYTES ? source.key() : null;
        return new ProducerRecord<>(deadLetterTopic, null, key, null, headers);
    }

    private static void describe(Headers headers, ConsumerRecord<byte[], byte[]> source, Throwable reason, int maxChars) {
        add(headers, REASON, cut(String.valueOf(reason.getMessage()), maxChars));
        add(headers, EXCEPTION_CLASS, reason.getClass().getName());
        if (reason.getCause() != null) {
            add(headers, CAUSE, cut(String.valueOf(reason.getCause().getMessage()), maxChars));
            add(headers, CAUSE_CLASS, reason.getCause().getClass().getName());
        }
        add(headers, TOPIC, source.topic());
        add(headers, PARTITION, String.valueOf(source.partition()));
        add(headers, OFFSET, String.valueOf(source.offset()));
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

    /** {@code null} when stored, else why not. */
    private static Throwable awaitOutcome(Future<RecordMetadata> send) {
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
        if (failure == null || refusedForGood(failure)) {
            return failure;
        }
        throw new OutputFailedException("the broker did not store an output record: " + failure.getMessage(), failure);
    }

    /** Failures of one record that no retry can change; anything else may pass. */
    static boolean refusedForGood(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException || failure instanceof SerializationException;
    }

    private static String origin(ConsumerRecord<?, ?> source) {
        return source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    private static void logDeadLetter(ConsumerRecord<?, ?> source, String reason) {
        Log.infof("Sending %s to the dead-letter topic: %s", origin(source), reason);
    }

    private static String cut(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
