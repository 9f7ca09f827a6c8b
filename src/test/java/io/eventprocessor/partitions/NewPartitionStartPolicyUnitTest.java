package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Where a partition without a committed offset starts, decided on Kafka's {@code MockConsumer}: new to
 * the group → earliest; a group new to the topic → the configured reset, applied by the policy; and
 * when the group coordinator cannot be asked, retries, then never the end of the partition.
 */
class NewPartitionStartPolicyUnitTest {

    private static final String TOPIC = "events";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** A consumer whose {@code committed()} times out, as while the group coordinator moves. */
    private static final class CoordinatorAway extends MockConsumer<byte[], byte[]> {

        private final int failures;
        private final AtomicInteger calls = new AtomicInteger();

        CoordinatorAway(int failures) {
            super("earliest");
            this.failures = failures;
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndMetadata> committed(
                Set<TopicPartition> partitions, Duration timeout) {
            if (calls.incrementAndGet() <= failures) {
                throw new TimeoutException("Timeout of " + timeout.toMillis() + "ms expired before the last committed "
                        + "offset for partitions " + partitions + " could be determined");
            }
            return super.committed(partitions, timeout);
        }
    }

    private static final TopicPartition T2_P0 = new TopicPartition("t2", 0);

    private static <C extends MockConsumer<byte[], byte[]>> C withTopic(C consumer) {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(
                TOPIC,
                List.of(new PartitionInfo(TOPIC, 0, node, null, null), new PartitionInfo(TOPIC, 1, node, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, 40L, P1, 25L));
        return consumer;
    }

    private NewPartitionStartPolicy policy(String configuredReset) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("mp.messaging.incoming.events-in.auto.offset.reset", configuredReset)
                .build();
        return new NewPartitionStartPolicy(config.getConfigMapping(ProcessorConfig.class), config, registry);
    }

    private double failures() {
        return registry.get("event_processor.partition.start.failures")
                .counter()
                .count();
    }

    @Test
    void partitionNewToTheGroupStartsAtEarliestEvenOnLatest() {
        MockConsumer<byte[], byte[]> consumer = withTopic(new MockConsumer<>("earliest"));
        consumer.assign(List.of(P0, P1));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(30)));

        policy("latest").apply(consumer, List.of(P1));

        assertThat(consumer.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(0));
        assertThat(failures()).isZero();
    }

    /** Topic {@code t2}: one partition, ten records, subscribed to beside {@code TOPIC} (a list or a pattern). */
    private static MockConsumer<byte[], byte[]> withSecondTopic(MockConsumer<byte[], byte[]> consumer) {
        consumer.updatePartitions(
                T2_P0.topic(),
                List.of(new PartitionInfo(T2_P0.topic(), 0, new Node(0, "localhost", 9092), null, null)));
        consumer.updateBeginningOffsets(Map.of(T2_P0, 0L));
        consumer.updateEndOffsets(Map.of(T2_P0, 10L));
        consumer.subscribe(List.of(TOPIC, T2_P0.topic()));
        consumer.rebalance(List.of(P0, P1, T2_P0));
        return consumer;
    }

    @Test
    void aTopicNewToTheGroupStartsAtEarliestWhenTheGroupReadsAnotherConsumedTopic() {
        MockConsumer<byte[], byte[]> consumer = withSecondTopic(withTopic(new MockConsumer<>("earliest")));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(30)));

        policy("latest").apply(consumer, List.of(T2_P0));

        assertThat(consumer.committed(Set.of(T2_P0))).containsEntry(T2_P0, new OffsetAndMetadata(0));
    }

    @Test
    void aGroupWithNoCommitOnAnyConsumedTopicFollowsTheConfiguredLatest() {
        MockConsumer<byte[], byte[]> consumer = withSecondTopic(withTopic(new MockConsumer<>("earliest")));

        policy("latest").apply(consumer, List.of(T2_P0));

        assertThat(consumer.committed(Set.of(T2_P0))).containsEntry(T2_P0, new OffsetAndMetadata(10));
    }

    @Test
    void groupNewToTheTopicFollowsTheConfiguredLatest() {
        MockConsumer<byte[], byte[]> consumer = withTopic(new MockConsumer<>("earliest"));
        consumer.assign(List.of(P0, P1));

        policy("latest").apply(consumer, List.of(P0, P1));

        assertThat(consumer.committed(Set.of(P0, P1)))
                .containsEntry(P0, new OffsetAndMetadata(40))
                .containsEntry(P1, new OffsetAndMetadata(25));
    }

    @Test
    void groupNewToTheTopicFollowsTheConfiguredEarliest() {
        MockConsumer<byte[], byte[]> consumer = withTopic(new MockConsumer<>("earliest"));
        consumer.assign(List.of(P0, P1));

        policy("earliest").apply(consumer, List.of(P0, P1));

        assertThat(consumer.committed(Set.of(P0, P1)))
                .containsEntry(P0, new OffsetAndMetadata(0))
                .containsEntry(P1, new OffsetAndMetadata(0));
    }

    @Test
    void aCoordinatorThatAnswersAgainIsAskedAgain() {
        CoordinatorAway consumer = withTopic(new CoordinatorAway(2));
        consumer.assign(List.of(P0, P1));
        consumer.commitSync(Map.of(P0, new OffsetAndMetadata(30)));

        policy("latest").apply(consumer, List.of(P1));

        assertThat(consumer.calls).hasValue(3);
        assertThat(consumer.committed(Set.of(P1))).containsEntry(P1, new OffsetAndMetadata(0));
        assertThat(failures()).isZero();
    }

    @Test
    void anUndecidableStartIsCountedAndNeverTheEndOfThePartition() {
        CoordinatorAway consumer = withTopic(new CoordinatorAway(Integer.MAX_VALUE));
        consumer.assign(List.of(P0, P1));

        policy("latest").apply(consumer, List.of(P0, P1));

        assertThat(consumer.calls).hasValue(NewPartitionStartPolicy.ATTEMPTS);
        assertThat(failures()).isEqualTo(1);
        // Nothing pinned: the client finds the start itself, with the reset StartOffsetReset gives it.
        assertThat(consumer.position(P0)).isZero();
        assertThat(consumer.position(P1)).isZero();
    }
}
