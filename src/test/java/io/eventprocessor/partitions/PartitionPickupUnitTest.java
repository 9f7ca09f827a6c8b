package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;
import io.eventprocessor.support.SettableClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Pickup time: from first appearance in the snapshot to the first processed record, recorded once. */
class PartitionPickupUnitTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Owner OTHER = new Owner("member-b", "kafka-consumer-events-in", "/10.0.0.2");

    private final SettableClock clock = new SettableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProcessorConfig config = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private final PartitionPickup pickup =
            new PartitionPickup(registry, new OwnershipFence(), ConsumedTopics.of(config.topics()), clock);

    @Test
    void aPartitionAddedWhileRunningIsTimedToItsFirstProcessedRecordOnce() {
        pickup.observe(List.of(partition(0, null, null)), T0);
        assertThat(timer().count()).as("registered before any pickup").isZero();

        pickup.observe(List.of(partition(0, null, null), partition(1, null, null)), T0.plusSeconds(5));
        clock.advance(Duration.ofMillis(7_250));
        pickup.processed(Set.of(new TopicPartition("events", 0), new TopicPartition("events", 1)));
        pickup.processed(Set.of(new TopicPartition("events", 1)));

        assertThat(timer().count()).isEqualTo(1);
        assertThat(timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_250);
    }

    @Test
    void aPartitionProcessedBeforeARefreshShowedItWasPickedUpAtOnce() {
        pickup.observe(List.of(partition(0, null, null)), T0);
        pickup.processed(Set.of(new TopicPartition("events", 1)));
        pickup.observe(List.of(partition(0, null, null), partition(1, null, null)), T0.plusSeconds(5));

        assertThat(pickup.recent())
                .singleElement()
                .extracting(PartitionPickup.NewPartition::pickupSeconds)
                .isEqualTo(0.0);
        assertThat(timer().count()).isEqualTo(1);
        assertThat(timer().totalTime(TimeUnit.MILLISECONDS)).isZero();
    }

    @Test
    void partitionsOfTheFirstLookAreNotNew() {
        pickup.observe(List.of(partition(0, null, null), partition(1, null, null)), T0);
        pickup.processed(Set.of(new TopicPartition("events", 1)));

        assertThat(pickup.recent()).isEmpty();
        assertThat(timer().count()).isZero();
    }

    @Test
    void aPartitionAnotherMemberOwnsAndCommittedOnStopsWaitingHere() {
        pickup.observe(List.of(partition(0, null, null)), T0);
        pickup.observe(List.of(partition(0, null, null), partition(1, OTHER, null)), T0.plusSeconds(1));
        pickup.observe(List.of(partition(0, null, null), partition(1, OTHER, null)), T0.plusSeconds(2));

        pickup.observe(List.of(partition(0, null, null), partition(1, OTHER, 40L)), T0.plusSeconds(3));
        clock.advance(Duration.ofMinutes(30));
        pickup.processed(Set.of(new TopicPartition("events", 1)));

        assertThat(timer().count()).as("a later reassignment here is no pickup").isZero();
    }

    @Test
    void thePageListsNewPartitionsWithThePickupThisReplicaSawForTenMinutes() {
        pickup.observe(List.of(partition(0, null, null)), T0);
        pickup.observe(
                List.of(partition(0, null, null), partition(1, null, null), partition(2, null, null)),
                T0.plusSeconds(5));
        clock.advance(Duration.ofMillis(6_500));
        pickup.processed(Set.of(new TopicPartition("events", 1)));
        pickup.observe(
                List.of(partition(0, null, null), partition(1, null, null), partition(2, OTHER, 0L)),
                T0.plusSeconds(8));

        assertThat(pickup.recent())
                .containsExactly(
                        new PartitionPickup.NewPartition("events-1", T0.plusSeconds(5), 1.5),
                        new PartitionPickup.NewPartition("events-2", T0.plusSeconds(5), 3.0));

        pickup.observe(
                List.of(
                        partition(0, null, null),
                        partition(1, null, null),
                        partition(2, OTHER, 0L),
                        partition(3, null, null)),
                T0.plusSeconds(9));
        assertThat(pickup.recent())
                .extracting(PartitionPickup.NewPartition::name, PartitionPickup.NewPartition::pickupSeconds)
                .as("one still waiting")
                .contains(tuple("events-3", null));

        clock.advance(Duration.ofMinutes(10));
        assertThat(pickup.recent())
                .extracting(PartitionPickup.NewPartition::name)
                .as("ten minutes on")
                .containsExactly("events-3");
        pickup.observe(List.of(partition(0, null, null), partition(1, null, null)), T0.plusSeconds(11));
        assertThat(pickup.recent()).as("gone from the topic's metadata").isEmpty();
    }

    private Timer timer() {
        return registry.get("event_processor.partition.pickup")
                .tag("topic", "events")
                .timer();
    }

    private static PartitionOwnership partition(int number, Owner owner, Long committed) {
        return new PartitionOwnership(
                "events",
                number,
                owner,
                owner == null ? T0 : null,
                committed,
                40L,
                committed == null ? null : 40 - committed,
                null);
    }
}
