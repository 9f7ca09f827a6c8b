package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * What a revocation commits, without a broker (Kafka's {@code MockConsumer}): the offset after the last stored record
 * of each revoked partition, only records read during the current assignment, never twice.
 */
class RevocationCommitUnitTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OwnershipFence fence = new OwnershipFence();
    private final RevocationCommit revocationCommit = new RevocationCommit(fence);
    private final int generation = consumer.groupMetadata().generationId();

    {
        // The mock reports committed offsets only of partitions assigned to it (and forgets them when assigned).
        consumer.assign(List.of(P0, P1));
    }

    @Test
    void aRevocationCommitsTheOffsetAfterTheLastStoredRecordOfEachRevokedPartition() {
        assign(P0, P1);
        revocationCommit.stored(List.of(record(P0, 4), record(P0, 5), record(P1, 9)), generation);
        revocationCommit.stored(List.of(record(P0, 6)), generation);

        revoke(P0);

        assertThat(committed()).containsExactly(Map.entry(P0, new OffsetAndMetadata(7)));
        revoke(P1);
        assertThat(committed()).containsEntry(P1, new OffsetAndMetadata(10));
    }

    @Test
    void recordsOfAPartitionNoLongerOwnedOrReadBeforeItsAssignmentAreNotCommitted() {
        assign(P0, P1);
        revocationCommit.stored(List.of(record(P0, 5)), generation - 1);
        revoke(P1);
        revocationCommit.stored(List.of(record(P1, 50)), generation);

        revoke(P0);
        assign(P1);
        revoke(P1);

        assertThat(committed())
                .as("read before the assignment; stored after the revocation")
                .isEmpty();
    }

    @Test
    void aPartitionAssignedAgainStartsOverFromItsCommittedOffset() {
        assign(P0);
        revocationCommit.stored(List.of(record(P0, 100)), generation);
        assign(P0);
        revocationCommit.stored(List.of(record(P0, 20)), generation);

        revoke(P0);

        assertThat(committed()).containsExactly(Map.entry(P0, new OffsetAndMetadata(21)));
    }

    @Test
    void aWakeUpLeftPendingByTheClosingConnectorFailsOnlyTheFirstAttempt() {
        MockConsumer<byte[], byte[]> woken = new MockConsumer<>("earliest") {
            private boolean wakeUpPending = true;

            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                if (wakeUpPending) {
                    wakeUpPending = false;
                    throw new WakeupException();
                }
                super.commitSync(offsets, timeout);
            }
        };
        woken.assign(List.of(P0));
        fence.assigned(woken, List.of(P0));
        revocationCommit.stored(List.of(record(P0, 3)), generation);

        fence.revoked(woken, List.of(P0));
        revocationCommit.commitRevoked(woken, List.of(P0));

        assertThat(woken.committed(Set.of(P0))).containsExactly(Map.entry(P0, new OffsetAndMetadata(4)));
    }

    private void assign(TopicPartition... partitions) {
        fence.assigned(consumer, List.of(partitions));
        revocationCommit.assigned(List.of(partitions));
    }

    /** As the rebalance listener does: the fence first, then the commit. */
    private void revoke(TopicPartition... partitions) {
        fence.revoked(consumer, List.of(partitions));
        revocationCommit.commitRevoked(consumer, List.of(partitions));
    }

    private Map<TopicPartition, OffsetAndMetadata> committed() {
        return consumer.committed(Set.of(P0, P1));
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, new byte[0]);
    }
}
