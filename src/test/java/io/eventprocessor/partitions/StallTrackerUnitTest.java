package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/** The stall rule on a fixed timeline: lag, same owner, same committed offset; anything else resets it. */
class StallTrackerUnitTest {

    private static final TopicPartition P = new TopicPartition("events", 1);
    private static final Owner A = new Owner("member-a", "kafka-consumer-events-in", "/10.0.0.1");
    private static final Owner B = new Owner("member-b", "kafka-consumer-events-in", "/10.0.0.2");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final StallTracker tracker = new StallTracker();

    @Test
    void lagWithAnUnmovingCommitIsStuckSinceItWasFirstSeen() {
        assertThat(tracker.observe(P, A, 100L, 5L, 0, T0)).isEqualTo(T0);
        assertThat(tracker.observe(P, A, 100L, 9L, 0, T0.plusSeconds(30))).isEqualTo(T0);
    }

    @Test
    void aCommitANewOwnerOrNoLagStartsTheClockAgain() {
        tracker.observe(P, A, 100L, 5L, 0, T0);
        assertThat(tracker.observe(P, A, 104L, 1L, 0, T0.plusSeconds(10)))
                .as("commit")
                .isEqualTo(T0.plusSeconds(10));
        assertThat(tracker.observe(P, B, 104L, 1L, 0, T0.plusSeconds(20)))
                .as("new owner")
                .isEqualTo(T0.plusSeconds(20));
        assertThat(tracker.observe(P, B, 105L, 0L, 0, T0.plusSeconds(30)))
                .as("idle")
                .isNull();
        assertThat(tracker.observe(P, B, 105L, 3L, 0, T0.plusSeconds(40))).isEqualTo(T0.plusSeconds(40));
        assertThat(tracker.observe(P, null, 105L, 3L, 0, T0.plusSeconds(50)))
                .as("unowned")
                .isNull();
    }

    @Test
    void aRecordThroughTheProcessingStepStartsTheClockAgainButAHangingOneDoesNot() {
        tracker.observe(P, A, 100L, 500L, 0, T0);
        assertThat(tracker.observe(P, A, 100L, 500L, 7, T0.plusSeconds(10)))
                .as("slow step, moving")
                .isEqualTo(T0.plusSeconds(10));
        assertThat(tracker.observe(P, A, 100L, 500L, 8, T0.plusSeconds(20))).isEqualTo(T0.plusSeconds(20));
        assertThat(tracker.observe(P, A, 100L, 500L, 8, T0.plusSeconds(400)))
                .as("one record hanging")
                .isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void aPartitionThatDisappearsIsForgotten() {
        tracker.observe(P, A, 100L, 5L, 0, T0);
        tracker.retain(Set.of());
        assertThat(tracker.observe(P, A, 100L, 5L, 0, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void stalledMeansStuckForLongerThanTheTimeout() {
        PartitionOwnership stuck = new PartitionOwnership("events", 1, A, null, 100L, 105L, 5L, T0);
        PartitionOwnership idle = new PartitionOwnership("events", 2, A, null, 50L, 50L, 0L, null);
        OwnershipSnapshot snapshot = new OwnershipSnapshot(
                T0, true, null, T0, "g", "Stable", "consumer", 1, List.of(stuck, idle), List.of(), null, List.of());

        assertThat(snapshot.stalledLongerThan(Duration.ofMinutes(5), T0.plusSeconds(299)))
                .isEmpty();
        assertThat(snapshot.stalledLongerThan(Duration.ofMinutes(5), T0.plusSeconds(301)))
                .containsExactly(stuck);
    }
}
