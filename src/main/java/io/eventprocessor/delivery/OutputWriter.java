package io.eventprocessor.delivery;

import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import io.eventprocessor.event.ProcessedEvent;

/**
 * Stores a batch's outputs (processed events and dead letters) in the order given, and returns once they are
 * stored: {@link ProcessedEventWriter} for {@code processor.delivery=at-least-once} (offsets committed
 * afterwards), {@link TransactionalOutputWriter} for {@code exactly-once} (outputs and input offsets in
 * one Kafka transaction). Chosen by {@link DeliveryModes}.
 */
public interface OutputWriter {

    /**
     * Writes every output of the batch, in order, and waits until the broker stored each (or its dead letter).
     *
     * @throws OutputFailedException if an output was not stored for a reason that may pass
     */
    Written writeAll(Batch batch);

    /**
     * The outputs of one polled batch.
     *
     * @param outputs one per record, in the order read
     * @param generation the consumer group generation (member epoch) of the poll that read the records, by which the
     *     ownership fence judges whether they are still this member's to write ({@code -1}: no record)
     * @param holdsChanged partitions whose held records changed (processor.key-order): their commit must carry it,
     *     even without an output of theirs
     */
    record Batch(List<Output> outputs, int generation, Set<TopicPartition> holdsChanged) {}

    /**
     * One record's output: its processed form, or the reason it goes to the dead-letter topic.
     *
     * @param source the consumed record
     * @param processed the processed event, or {@code null}
     * @param deadLetterReason why the record cannot be processed, when {@code processed} is {@code null}
     * @param eventId the event's {@code id} when the record could be read, else {@code null} (for the logs)
     */
    record Output(
            ConsumerRecord<byte[], byte[]> source,
            ProcessedEvent processed,
            RuntimeException deadLetterReason,
            String eventId) {}

    /**
     * What a batch's output came to.
     *
     * @param processed records written to the processed topic
     * @param deadLettered records written to the dead-letter topic
     */
    record Written(int processed, int deadLettered) {}
}
