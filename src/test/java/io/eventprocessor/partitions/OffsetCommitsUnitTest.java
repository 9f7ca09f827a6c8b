package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * What a revocation commits, without a broker (Kafka's {@code MockConsumer}): the offset after the last stored record
 * of each revoked partition, only records read during the current assignment, never twice.
 */
class OffsetCommitsUnitTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OwnershipFence fence = new OwnershipFence();
    private final ProcessorConfig config = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private final KeyOrderGate gate = new KeyOrderGate(config, fence, Clock.systemUTC(), new SimpleMeterRegistry());
    private final OffsetCommits revocationCommit = new OffsetCommits(fence, gate, null, config);
    private final int generation = consumer.groupMetadata().generationId();

    {
        // The mock reports committed offsets only of partitions assigned to it (and forgets them when assigned).
        consumer.assign(List.of(P0, P1));
    }

    @Test
    void aRevocationCommitsTheOffsetAfterTheLastStoredRecordOfEachRevokedPartition() {
        assign(Map.of(P0, 4L, P1, 9L));
        revocationCommit.stored(List.of(record(P0, 4), record(P0, 5), record(P1, 9)), generation);
        revocationCommit.stored(List.of(record(P0, 6)), generation);

        revoke(P0);

        assertThat(committed()).containsExactly(Map.entry(P0, new OffsetAndMetadata(7)));
        revoke(P1);
        assertThat(committed()).containsEntry(P1, new OffsetAndMetadata(10));
    }

    @Test
    void recordsOfAPartitionNoLongerOwnedOrReadBeforeItsAssignmentAreNotCommitted() {
        assign(Map.of(P0, 5L, P1, 50L));
        revocationCommit.stored(List.of(record(P0, 5)), generation - 1);
        revoke(P1);
        revocationCommit.stored(List.of(record(P1, 50)), generation);

        revoke(P0);
        assign(Map.of(P1, 50L));
        revoke(P1);

        assertThat(committed())
                .as("read before the assignment; stored after the revocation: the commits stay where they were")
                .containsOnly(Map.entry(P0, new OffsetAndMetadata(5)), Map.entry(P1, new OffsetAndMetadata(50)));
    }

    @Test
    void aPartitionAssignedAgainStartsOverFromItsCommittedOffset() {
        assign(Map.of(P0, 100L));
        revocationCommit.stored(List.of(record(P0, 100)), generation);
        assign(Map.of(P0, 20L));
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
        gate.assigned(Map.of(P0, new OffsetAndMetadata(3)));
        fence.assigned(woken, List.of(P0));
        revocationCommit.stored(List.of(record(P0, 3)), generation);

        fence.revoked(woken, List.of(P0));
        revocationCommit.commitRevoked(woken, List.of(P0));

        assertThat(woken.committed(Set.of(P0))).containsExactly(Map.entry(P0, new OffsetAndMetadata(4)));
    }

    /** As the rebalance listener does, each partition with its commit. */
    private void assign(Map<TopicPartition, Long> commits) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        commits.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        gate.assigned(offsets);
        fence.assigned(consumer, commits.keySet());
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
