package io.eventprocessor.delivery;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.tracing.TraceHeaders;
import io.quarkus.logging.Log;

/**
 * The records the processor writes, for both delivery modes: processed events as JSON, dead letters (the
 * consumed key, value and headers byte for byte, with the reason, topic, partition and offset added as
 * headers: the connector's dead-letter header names), and bounded dead letters for when even a dead letter
 * is refused.
 */
final class OutputRecords {

    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";
    static final String ORIGINAL_SIZE = "dead-letter-original-value-size";
    static final String TRUNCATED = "dead-letter-truncated";

    /**
     * Longest reason or cause kept in a dead letter's headers and in a log line, in characters: a reason may quote
     * the input (a parser's message, a refused record), which can be megabytes.
     */
    static final int MAX_REASON_CHARS = 1000;
    /** Longest key kept in a bounded dead letter, in bytes. */
    private static final int BOUNDED_KEY_BYTES = 1024;

    private final ObjectMapper mapper;
    private final OutputTopics topics;
    private final ConsumedTopics consumed;
    private final TraceHeaders traces;

    OutputRecords(ObjectMapper mapper, OutputTopics topics, ConsumedTopics consumed, TraceHeaders traces) {
        this.mapper = mapper;
        this.traces = traces;
        this.topics = topics;
        this.consumed = consumed;
    }

    String processedTopic(ConsumerRecord<?, ?> source) {
        return topics.processed(source.topic());
    }

    String deadLetterTopic(ConsumerRecord<?, ?> source) {
        return topics.deadLetter(source.topic());
    }

    /**
     * The processed event of a record, keyed like it, with the trace context the record carries continued
     * (no headers otherwise).
     *
     * @throws OutputRejectedException if the event cannot be written as JSON, or its topic is consumed too (a pattern
     *     that matches the processed topic of a topic it matches): the processor would read it again, without end
     */
    ProducerRecord<byte[], byte[]> processed(ConsumerRecord<byte[], byte[]> source, ProcessedEvent event) {
        String processedTopic = processedTopic(source);
        if (consumed.includes(processedTopic)) {
            throw new OutputRejectedException(
                    "the processed topic " + processedTopic + " of " + source.topic() + " is consumed too (" + consumed
                            + "): the processor would read its own output",
                    null);
        }
        try {
            byte[] value = mapper.writeValueAsBytes(event);
            return new ProducerRecord<>(
                    processedTopic, null, source.key(), value, traces.continuedFrom(source, processedTopic));
        } catch (JsonProcessingException e) {
            throw new OutputRejectedException(
                    "the processed event cannot be written as JSON: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            // Whatever else fails building one output record, its record is dead-lettered, never a reason to stop.
            throw new OutputRejectedException("the processed record cannot be built: " + e, e);
        }
    }

    /**
     * The consumed record, key, value and headers unchanged, with why and where from added as headers.
     */
    ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, Throwable reason) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        describe(headers, source, reason);
        return new ProducerRecord<>(deadLetterTopic(source), null, source.key(), source.value(), headers);
    }

    /** Reason (cut), origin and original size only: what is left when the full dead letter is refused. */
    ProducerRecord<byte[], byte[]> boundedDeadLetter(
            ConsumerRecord<byte[], byte[]> source, Throwable reason, Throwable refused) {
        Headers headers = new RecordHeaders();
        describe(headers, source, reason);
        add(headers, ORIGINAL_SIZE, String.valueOf(source.value() == null ? 0 : source.value().length));
        add(
                headers,
                TRUNCATED,
                cut("value and original headers omitted: the full dead letter was refused: " + refused.getMessage()));
        byte[] key = source.key() != null && source.key().length <= BOUNDED_KEY_BYTES ? source.key() : null;
        return new ProducerRecord<>(deadLetterTopic(source), null, key, null, headers);
    }

    /** Failures of one record that no retry can change; anything else may pass. */
    static boolean refusedForGood(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidRecordException
                || failure instanceof SerializationException;
    }

    /**
     * Whether the record, as a batch of its own at its largest, is within its topic's known limit: refused as too large,
     * it was refused for a neighbour (a transactional producer fails the records it had not sent yet with the refusal
     * that aborted the transaction), and is sent again as it is.
     */
    static boolean fitsItsTopic(ProducerRecord<byte[], byte[]> record, OptionalInt topicLimit) {
        int largest = AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                record.key(),
                record.value(),
                record.headers().toArray());
        return topicLimit.isPresent() && largest <= topicLimit.getAsInt();
    }

    static String origin(ConsumerRecord<?, ?> source) {
        return source.topic() + "-" + source.partition() + "@" + source.offset();
    }

    /** Records of a batch not written here: their partition's owner reads them again from the committed offset. */
    static void logLeftToNewOwner(int count, String why) {
        if (count > 0) {
            Log.infof("Left %d record(s) to their partition's owner, uncommitted here: %s", count, why);
        }
    }

    /** @param eventId the event's {@code id}, {@code null} when the record could not be read */
    static void logDeadLetter(ConsumerRecord<?, ?> source, String eventId, String reason) {
        RecordLogFields.around(
                source,
                eventId,
                () -> Log.infof("Sending %s to the dead-letter topic: %s", origin(source), cut(reason)));
    }

    /** @param eventId the event's {@code id}, {@code null} when the record could not be read */
    static void logBounded(ConsumerRecord<?, ?> source, String eventId, Throwable deadLetterRefused, Throwable reason) {
        RecordLogFields.around(
                source,
                eventId,
                () -> Log.warnf(
                        "Sending %s to the dead-letter topic without its value and headers (%s): %s",
                        origin(source),
                        cut(String.valueOf(deadLetterRefused.getMessage())),
                        cut(String.valueOf(reason.getMessage()))));
    }

    private static void describe(Headers headers, ConsumerRecord<byte[], byte[]> source, Throwable reason) {
        add(headers, REASON, cut(String.valueOf(reason.getMessage())));
        add(headers, EXCEPTION_CLASS, reason.getClass().getName());
        if (reason.getCause() != null) {
            add(headers, CAUSE, cut(String.valueOf(reason.getCause().getMessage())));
            add(headers, CAUSE_CLASS, reason.getCause().getClass().getName());
        }
        add(headers, TOPIC, source.topic());
        add(headers, PARTITION, String.valueOf(source.partition()));
        add(headers, OFFSET, String.valueOf(source.offset()));
    }

    /** At most {@link #MAX_REASON_CHARS} characters, and how many more there were. */
    static String cut(String text) {
        if (text.length() <= MAX_REASON_CHARS) {
            return text;
        }
        int end =
                Character.isHighSurrogate(text.charAt(MAX_REASON_CHARS - 1)) ? MAX_REASON_CHARS - 1 : MAX_REASON_CHARS;
        return text.substring(0, end) + "… (" + (text.length() - end) + " more characters)";
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
