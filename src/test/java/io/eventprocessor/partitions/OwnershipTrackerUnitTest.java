package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/** The snapshot a refresh takes, from the cluster's answers and the time alone: no broker, no waiting. */
class OwnershipTrackerUnitTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final String OURS = "kafka-consumer-events-in";
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);
    private static final Owner A = new Owner("member-a", OURS, "/10.0.0.1");
    private static final Owner B = new Owner("member-b", OURS, "/10.0.0.2");
    private static final Owner CONSOLE = new Owner("member-c", "console-consumer", "/10.0.0.9");

    private final ProcessingProgress progress = new ProcessingProgress();
    private final OwnershipTracker tracker =
            new OwnershipTracker("event-processor", OURS, Duration.ofSeconds(60), Duration.ofSeconds(5), progress);

    @Test
    void aPartitionWithoutOwnerIsUnownedSinceTheFirstRefreshThatSawIt() {
        tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0, P1))), T0);
        OwnershipSnapshot lost = tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0))), T0.plusSeconds(5));
        OwnershipSnapshot later = tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0))), T0.plusSeconds(10));

        assertThat(lost.unowned()).extracting(PartitionOwnership::unownedSince).containsExactly(T0.plusSeconds(5));
        assertThat(later.unowned()).extracting(PartitionOwnership::unownedSince).containsExactly(T0.plusSeconds(5));

        tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0, P1))), T0.plusSeconds(15));
        OwnershipSnapshot again = tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0))), T0.plusSeconds(20));
        assertThat(again.unowned()).extracting(PartitionOwnership::unownedSince).containsExactly(T0.plusSeconds(20));
    }

    @Test
    void aForeignMembersPartitionsCountAsOwnedAndTheMemberIsListed() {
        OwnershipSnapshot snapshot =
                tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0), CONSOLE, Set.of(P1))), T0);

        assertThat(snapshot.unowned()).isEmpty();
        assertThat(snapshot.foreignMembers()).containsExactly(CONSOLE);
        assertThat(snapshot.members()).isEqualTo(2);
        assertThat(snapshot.groupState()).isEqualTo("Stable");
    }

    @Test
    void aPartitionUnownedPastTheGracePeriodGivesOneReplicaARestartTurn() {
        Map<Owner, Set<TopicPartition>> p1Lost = new LinkedHashMap<>();
        p1Lost.put(A, Set.of(P0));
        p1Lost.put(B, Set.of());
        OwnershipSnapshot withinGrace = tracker.next(answers(List.of(P0, P1), p1Lost), T0);
        OwnershipSnapshot pastGrace = tracker.next(answers(List.of(P0, P1), p1Lost), T0.plusSeconds(61));

        assertThat(withinGrace.restartTurn()).isNull();
        assertThat(pastGrace.restartTurn()).isNotNull();
        assertThat(pastGrace.restartTurn().everyReplica()).isFalse();
        assertThat(pastGrace.restartTurn().chosen()).isIn(A, B);
        assertThat(pastGrace.restartTurn().replicas()).isEqualTo(2);
    }

    @Test
    void aPartitionHeldForKeyOrderIsWaitingNotStuck() {
        ClusterAnswers lagging = answers(List.of(P0), Map.of(A, Set.of(P0)), 10L, 15L);
        ClusterAnswers held = new ClusterAnswers(
                lagging.partitions(),
                lagging.groupState(),
                lagging.groupProtocol(),
                lagging.assignments(),
                lagging.committed(),
                lagging.ends(),
                lagging.lags(),
                lagging.missingTopics(),
                Set.of(P0));
        tracker.next(held, T0);
        OwnershipSnapshot stillHeld = tracker.next(held, T0.plusSeconds(600));
        OwnershipSnapshot released = tracker.next(lagging, T0.plusSeconds(601));

        assertThat(stillHeld.stalledLongerThan(Duration.ofSeconds(20), T0.plusSeconds(600)))
                .isEmpty();
        assertThat(released.partitions().get(0).stuckSince())
                .as("the clock starts when the hold ends")
                .isEqualTo(T0.plusSeconds(601));
    }

    @Test
    void anOwnedPartitionWithLagIsStuckUntilItsCommitOrItsProgressMoves() {
        tracker.next(answers(List.of(P0), Map.of(A, Set.of(P0)), 10L, 15L), T0);
        OwnershipSnapshot stuck =
                tracker.next(answers(List.of(P0), Map.of(A, Set.of(P0)), 10L, 15L), T0.plusSeconds(30));
        progress.advanced("events", 0);
        OwnershipSnapshot moving =
                tracker.next(answers(List.of(P0), Map.of(A, Set.of(P0)), 10L, 15L), T0.plusSeconds(35));
        OwnershipSnapshot committed =
                tracker.next(answers(List.of(P0), Map.of(A, Set.of(P0)), 15L, 15L), T0.plusSeconds(40));

        assertThat(stuck.stalledLongerThan(Duration.ofSeconds(20), T0.plusSeconds(30)))
                .hasSize(1);
        assertThat(moving.partitions().get(0).stuckSince()).isEqualTo(T0.plusSeconds(35));
        assertThat(committed.partitions().get(0).stuckSince()).as("no lag").isNull();
        assertThat(committed.partitions().get(0).lag()).isZero();
    }

    @Test
    void aPartitionThatDisappearedIsForgottenAndANewOneIsUnownedFromWhenItAppears() {
        tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0))), T0);
        OwnershipSnapshot gone = tracker.next(answers(List.of(P0), Map.of(A, Set.of(P0))), T0.plusSeconds(5));
        OwnershipSnapshot back = tracker.next(answers(List.of(P0, P1), Map.of(A, Set.of(P0))), T0.plusSeconds(10));

        assertThat(gone.partitions()).extracting(PartitionOwnership::name).containsExactly("events-0");
        assertThat(back.unowned()).extracting(PartitionOwnership::unownedSince).containsExactly(T0.plusSeconds(10));
    }

    @Test
    void aGroupThatDoesNotExistIsDeadWithEveryPartitionUnowned() {
        OwnershipSnapshot snapshot = tracker.next(
                new ClusterAnswers(
                        List.of(P0), null, null, Map.of(), Map.of(), Map.of(P0, 3L), Map.of(), List.of(), Set.of()),
                T0);

        assertThat(snapshot.groupState()).isEqualTo("Dead");
        assertThat(snapshot.members()).isZero();
        assertThat(snapshot.unowned()).extracting(PartitionOwnership::name).containsExactly("events-0");
    }

    private static ClusterAnswers answers(
            List<TopicPartition> partitions, Map<Owner, Set<TopicPartition>> assignments) {
        return new ClusterAnswers(
                partitions, "Stable", "consumer", assignments, Map.of(), Map.of(), Map.of(), List.of(), Set.of());
    }

    /** Every partition with this committed offset and end offset, and the lag between them. */
    private static ClusterAnswers answers(
            List<TopicPartition> partitions, Map<Owner, Set<TopicPartition>> assignments, long committed, long end) {
        Map<TopicPartition, Long> commits = new LinkedHashMap<>();
        Map<TopicPartition, Long> ends = new LinkedHashMap<>();
        Map<TopicPartition, Long> lags = new LinkedHashMap<>();
        partitions.forEach(partition -> {
            commits.put(partition, committed);
            ends.put(partition, end);
            lags.put(partition, end - committed);
        });
        return new ClusterAnswers(
                partitions, "Stable", "consumer", assignments, commits, ends, lags, List.of(), Set.of());
    }
}
