package io.eventprocessor.partitions;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps output writes and their offset commits to partitions this member owns, and to records it read while owning
 * them ({@linkplain #current current}: polled in the assignment's generation or later): exactly-once, the
 * transactional commit ({@link #commitWhileOwned}); at-least-once, the write whose offsets {@link OffsetCommits}
 * commits at revocation ({@link #writeWhileOwned}). A revocation waits for a commit or write in progress, so the next
 * owner starts after the last batch committed here. Why the coordinator's own checks are not enough, and the group
 * metadata each transaction carries: docs/design.md, "The fence".
 */
@ApplicationScoped
public class OwnershipFence {

    private final ReentrantLock commitLock = new ReentrantLock();
    private final Map<TopicPartition, Integer> assignedIn = new ConcurrentHashMap<>();
    private volatile ConsumerGroupMetadata group;

    /** The listener's report: partitions assigned to this member in the consumer's current generation. */
    void assigned(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        ConsumerGroupMetadata metadata = consumer.groupMetadata();
        group = metadata;
        partitions.forEach(partition -> assignedIn.put(partition, metadata.generationId()));
    }

    /** The listener's report: partitions revoked or lost; waits for a commit in progress to end. */
    void revoked(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        commitLock.lock();
        try {
            partitions.forEach(assignedIn::remove);
            try {
                group = consumer.groupMetadata();
            } catch (RuntimeException closing) {
                // the consumer is closing: the metadata no longer matters
            }
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * This member's assignment, as the rebalance callbacks told it.
     *
     * @param joined whether the group has given this member an assignment (possibly empty)
     * @param memberId its member id, once joined
     * @param partitions the partitions assigned to it now
     */
    public record Membership(boolean joined, String memberId, Set<TopicPartition> partitions) {}

    /** This member's assignment now; never blocks. */
    public Membership membership() {
        ConsumerGroupMetadata current = group;
        return current == null
                ? new Membership(false, null, Set.of())
                : new Membership(true, current.memberId(), Set.copyOf(assignedIn.keySet()));
    }

    /** This member's current group generation (member epoch), -1 before it joined. */
    public int generation() {
        ConsumerGroupMetadata current = group;
        return current == null ? -1 : current.generationId();
    }

    /**
     * Whether the partition is assigned here: called within {@link #commitWhileOwned}, the answer holds until its
     * commit ends, since a revocation waits for it.
     */
    public boolean owns(TopicPartition partition) {
        return assignedIn.containsKey(partition);
    }

    /** Replaces the group metadata with the consumer's own (read on its polling thread). */
    public void refresh(ConsumerGroupMetadata metadata) {
        group = metadata;
    }

    /**
     * Whether the record's partition is assigned here and the record was read during that assignment.
     *
     * @param generation the group generation of the poll that read the record
     */
    public boolean current(ConsumerRecord<?, ?> record, int generation) {
        Integer assignment = assignedIn.get(new TopicPartition(record.topic(), record.partition()));
        return assignment != null && generation >= assignment;
    }

    /**
     * Runs a commit while no revocation can run, if every partition of {@code records} is still assigned as it
     * was when they were read.
     *
     * @param records the records whose offsets the commit carries
     * @param generation the group generation of the poll that read them
     * @param commit sends the offsets with this group metadata and commits the transaction
     * @return the partitions no longer owned: when not empty, nothing was run
     */
    public Set<TopicPartition> commitWhileOwned(
            Collection<? extends ConsumerRecord<?, ?>> records,
            int generation,
            Consumer<ConsumerGroupMetadata> commit) {
        commitLock.lock();
        try {
            Set<TopicPartition> lost = new HashSet<>();
            for (ConsumerRecord<?, ?> record : records) {
                if (!current(record, generation)) {
                    lost.add(new TopicPartition(record.topic(), record.partition()));
                }
            }
            if (lost.isEmpty()) {
                commit.accept(withGeneration(group, generation));
            }
            return lost;
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Runs a write of the items whose records are {@linkplain #current current} while no revocation can run, so
     * that a revocation finds whatever it stored; the others are left out: their partition's owner reads them
     * again from the committed offset.
     *
     * @param items what the write takes, each with a record read in {@code generation}
     * @param record the record of an item
     * @param generation the group generation of the poll that read the records
     * @param write writes the current items (an empty list when none is)
     * @return what {@code write} returned
     */
    public <T, R> R writeWhileOwned(
            List<T> items, Function<T, ConsumerRecord<?, ?>> record, int generation, Function<List<T>, R> write) {
        commitLock.lock();
        try {
            return write.apply(items.stream()
                    .filter(item -> current(record.apply(item), generation))
                    .toList());
        } finally {
            commitLock.unlock();
        }
    }

    private static ConsumerGroupMetadata withGeneration(ConsumerGroupMetadata metadata, int generation) {
        if (generation <= metadata.generationId()) {
            return metadata;
        }
        return new ConsumerGroupMetadata(
                metadata.groupId(), generation, metadata.memberId(), metadata.groupInstanceId());
    }
}
