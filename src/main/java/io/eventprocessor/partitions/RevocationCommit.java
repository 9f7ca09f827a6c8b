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
 * At-least-once ({@code processor.delivery=at-least-once}): commits, when partitions are revoked, the offsets
 * after the last record of each that this member processed and stored.
 * <p>
 * The connector (SmallRye 4.33, {@code throttled} commit strategy) commits processed offsets every
 * {@code auto.commit.interval.ms}, taking them out of its store as it does, and once more as it closes. Two of its
 * paths leave processed records uncommitted, and the next owner would process them again: its close wakes the
 * consumer up ({@code wakeup()}), which fails a periodic commit in flight ({@code SRMSG18252 Failed to commit ...
 * WakeupException}) whose offsets nothing commits again; and a batch that ends after its final commit is never
 * committed. The close revokes every partition after both; this member commits its progress then, as it does at
 * every revocation. Measured with SIGTERM under load and no shutdown delay: 4 of 8 stops left a batch uncommitted
 * before ({@code GracefulShutdownIT}).
 * <p>
 * Only records still {@linkplain OwnershipFence#current current} are taken, and the revocation waits for a batch
 * being written ({@link OwnershipFence#writeWhileOwned}), so what was written of a partition is here when it is
 * revoked, and a batch that ends after its partition was revoked (and perhaps assigned again, from the committed
 * offset) can never move the committed offset back.
 * Exactly-once commits offsets in its transactions and reports nothing here.
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
