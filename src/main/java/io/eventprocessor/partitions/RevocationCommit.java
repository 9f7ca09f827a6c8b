package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.quarkus.logging.Log;

/**
 * At-least-once ({@code processor.delivery=at-least-once}): commits, when partitions are revoked, the offsets after the
 * last record of each that this member processed and stored, taking only {@linkplain OwnershipFence#current current}
 * records, so a late batch can never move a committed offset back. Why the connector's own commits leave records
 * uncommitted at a close: docs/design.md, "How at-least-once commits". Exactly-once commits in its transactions and
 * reports nothing here.
 */
@ApplicationScoped
public class RevocationCommit {

    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final OwnershipFence fence;
    private final Map<TopicPartition, Long> next = new HashMap<>();

    public RevocationCommit(OwnershipFence fence) {
        this.fence = fence;
    }

    /**
     * The at-least-once writer's report: the outputs of these records are stored.
     *
     * @param generation the group generation of the poll that read them
     */
    public synchronized void stored(Collection<? extends ConsumerRecord<?, ?>> records, int generation) {
        for (ConsumerRecord<?, ?> record : records) {
            if (fence.current(record, generation)) {
                next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
            }
        }
    }

    /** Partitions just assigned start from their committed offset: what was stored of them before no longer counts. */
    synchronized void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(next::remove);
    }

    /**
     * Commits, on the polling thread, what was stored of partitions being revoked, then forgets them. The fence must
     * already count them as revoked, so that no later report adds to them. Never throws: a commit that fails is
     * logged, and the next owner starts at the offset committed before.
     */
    void commitRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = take(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commit(consumer, offsets);
        } catch (KafkaException e) {
            Log.warnf(
                    "Could not commit the processed offsets %s of the revoked partitions: their next owner may process "
                            + "the records after the last committed offset again (%s)",
                    offsets, e.toString());
        }
    }

    private synchronized Map<TopicPartition, OffsetAndMetadata> take(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Long offset = next.remove(partition);
            if (offset != null) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        return offsets;
    }

    /** A wake-up the closing connector left pending fails the first call: it holds only once. */
    private static void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (WakeupException pending) {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        }
        Log.debugf("Committed the processed offsets of revoked partitions: %s", offsets);
    }
}
