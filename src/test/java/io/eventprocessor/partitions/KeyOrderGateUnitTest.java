package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.support.PartitionerKeys;
import io.eventprocessor.support.SettableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The gate without a broker: a key moved by a growth waits, with its later records, while other keys of its partition
 * flow; it goes once the partition it left is done up to the fence; commits carry what is done beyond the held record
 * and what is held; a new owner skips what is done; a record polled before its partition was assigned again counts for
 * nothing.
 */
class KeyOrderGateUnitTest {

    private static final String TOPIC = "orders";
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant GROWN = T0.plusSeconds(3600);
    private static final Duration REFRESH = Duration.ofSeconds(5);
    private static final TopicPartition OLD = new TopicPartition(TOPIC, 1);
    private static final TopicPartition NEW = new TopicPartition(TOPIC, 4);

    private final ProcessorConfig config = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withDefaultValue("processor.key-order.producer-refresh", "5s")
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private final SettableClock clock = new SettableClock(GROWN.plusSeconds(1));
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OwnershipFence fence = new OwnershipFence();
    private final KeyOrderGate gate = new KeyOrderGate(config, fence, clock, new SimpleMeterRegistry());
    private final int generation = consumer.groupMetadata().generationId();
    private final byte[] moved = keyOn(1, 4);
    private final byte[] stayed = keyOn(1, 1);

    {
        GrowthHistory history = GrowthHistory.of(TOPIC, 3, T0).seen(6, GROWN);
        gate.histories(Map.of(TOPIC, history), GROWN.plusSeconds(1));
    }

    @Test
    void aMovedKeyWaitsForItsOldPartitionWhileOtherKeysFlowThenGoesInOrder() {
        assign(Map.of(OLD, 100L, NEW, 0L));

        KeyOrderGate.Admitted first = gate.admit(
                List.of(
                        record(NEW, 0, moved, GROWN.plusSeconds(1)),
                        record(NEW, 1, null, GROWN.plusSeconds(1)),
                        record(NEW, 2, moved, GROWN.plusSeconds(2)),
                        record(OLD, 100, moved, GROWN.minusSeconds(1)),
                        record(OLD, 101, stayed, GROWN.plusSeconds(1))),
                generation);
        assertThat(offsets(first))
                .as("the moved key's records on its new partition wait; the keyless one goes")
                .containsExactly("orders-4@1", "orders-1@100", "orders-1@101");
        assertThat(first.changed()).containsExactly(NEW);
        gate.done(first.records());
        assertThat(gate.offsets(List.of(NEW)))
                .as("the commit stops at the held record and lists what is done beyond it and what is held")
                .containsEntry(NEW, new OffsetAndMetadata(0, "done:1;held:0/" + murmur(moved) + ",2/" + murmur(moved)));

        clock.advance(REFRESH);
        gate.fenceResolved(OLD, GROWN.plus(REFRESH), 103);
        assertThat(gate.released().records())
                .as("the old partition is done only up to 102")
                .isEmpty();
        assertThat(gate.holds())
                .extracting(KeyOrderGate.Hold::partition, KeyOrderGate.Hold::waitingFor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(4, Map.of(1, 103L)));

        KeyOrderGate.Admitted more = gate.admit(List.of(record(OLD, 102, stayed, GROWN.plusSeconds(2))), generation);
        gate.done(more.records());
        KeyOrderGate.Admitted released = gate.released();
        assertThat(offsets(released)).containsExactly("orders-4@0", "orders-4@2");
        gate.done(released.records());
        assertThat(gate.offsets(List.of(NEW))).containsEntry(NEW, new OffsetAndMetadata(3, ""));
        assertThat(gate.holding()).isFalse();
    }

    @Test
    void aNewOwnerSkipsWhatTheLastOneDidBeyondItsHeldRecord() {
        assign(Map.of(NEW, 0L));
        gate.assigned(Map.of(NEW, new OffsetAndMetadata(0, "done:1;held:0/" + murmur(moved))));

        KeyOrderGate.Admitted admitted = gate.admit(
                List.of(record(NEW, 0, moved, GROWN.plusSeconds(1)), record(NEW, 1, null, GROWN.plusSeconds(1))),
                generation);

        assertThat(admitted.records()).as("0 waits again, 1 was done").isEmpty();
    }

    @Test
    void aRecordPolledBeforeItsPartitionWasAssignedAgainCountsForNothing() {
        assign(Map.of(OLD, 100L));

        KeyOrderGate.Admitted stale =
                gate.admit(List.of(record(OLD, 150, stayed, GROWN.plusSeconds(1))), generation - 1);
        KeyOrderGate.Admitted fresh = gate.admit(List.of(record(OLD, 100, stayed, GROWN.plusSeconds(1))), generation);
        gate.done(fresh.records());

        assertThat(stale.records()).isEmpty();
        assertThat(gate.offsets(List.of(OLD)))
                .as("100 to 149 were not read by this assignment")
                .containsEntry(OLD, new OffsetAndMetadata(101, ""));
    }

    @Test
    void aKeyThatComesBackToAPartitionWaitsThereForItsRecordsElsewhereNotTheOtherWayRound() {
        Instant sixSeen = GROWN;
        Instant nineSeen = GROWN.plusSeconds(1);
        gate.histories(
                Map.of(TOPIC, GrowthHistory.of(TOPIC, 3, T0).seen(6, sixSeen).seen(9, nineSeen)),
                nineSeen.plusSeconds(1));
        byte[] back = PartitionerKeys.keyOn(new int[] {3, 6, 9}, 0, 3, 0);
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p3 = new TopicPartition(TOPIC, 3);
        assign(Map.of(p0, 0L, p3, 0L));
        clock.advance(Duration.ofSeconds(20));

        KeyOrderGate.Admitted first = gate.admit(
                List.of(
                        record(p0, 0, back, T0.plusSeconds(1)),
                        record(p3, 0, back, sixSeen.plusMillis(500)),
                        record(p0, 1, back, nineSeen.plusMillis(500))),
                generation);
        assertThat(offsets(first)).containsExactly("orders-0@0");
        gate.done(first.records());
        gate.released();
        // 3 waits for 0 up to the key's return there (9 seen): 0@1 is of the later epoch.
        gate.fenceResolved(p0, nineSeen, 1);
        gate.fenceResolved(p3, nineSeen.plus(REFRESH), 1);

        List<String> released = new java.util.ArrayList<>();
        for (int round = 0; round < 4; round++) {
            KeyOrderGate.Admitted next = gate.released();
            released.addAll(offsets(next));
            gate.done(next.records());
        }
        assertThat(released)
                .as("6's record on 3 first, then 9's on 0, which waits for it")
                .containsExactly("orders-3@0", "orders-0@1");
    }

    private void assign(Map<TopicPartition, Long> commits) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        commits.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        gate.assigned(offsets);
        fence.assigned(consumer, commits.keySet());
    }

    private static List<String> offsets(KeyOrderGate.Admitted admitted) {
        return admitted.records().stream()
                .map(record -> record.topic() + "-" + record.partition() + "@" + record.offset())
                .toList();
    }

    private static ConsumerRecord<byte[], byte[]> record(
            TopicPartition partition, long offset, byte[] key, Instant writtenAt) {
        return new ConsumerRecord<>(
                partition.topic(),
                partition.partition(),
                offset,
                writtenAt.toEpochMilli(),
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                0,
                key,
                new byte[0],
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    private static int murmur(byte[] key) {
        return org.apache.kafka.common.utils.Utils.murmur2(key);
    }

    /** A key the default partitioner puts on {@code before} of 3 partitions and {@code after} of 6. */
    private static byte[] keyOn(int before, int after) {
        return PartitionerKeys.keyOn(new int[] {3, 6}, before, after);
    }
}
