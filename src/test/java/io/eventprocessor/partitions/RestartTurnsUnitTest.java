package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/** The one-replica-at-a-time restart rule on a fixed timeline, as three replicas would each apply it. */
class RestartTurnsUnitTest {

    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);
    /** The start of a turn: a multiple of the grace period since the epoch (turn index 29,621,760 = 0 mod 3). */
    private static final Instant TURN_START = Instant.ofEpochSecond(29_621_760L * 60);

    private static final Owner A = new Owner("member-a", "kafka-consumer-events-in", "/10.0.0.1");
    private static final Owner B = new Owner("member-b", "kafka-consumer-events-in", "/10.0.0.2");
    private static final Owner C = new Owner("member-c", "kafka-consumer-events-in", "/10.0.0.3");
    private static final List<Owner> REPLICAS = List.of(A, B, C);
    private static final List<PartitionOwnership> OVERDUE =
            List.of(new PartitionOwnership("events", 3, null, TURN_START.minusSeconds(90), null, 12L, null, null));

    @Test
    void exactlyOneReplicaIsDownAndTheTurnPassesInRankOrder() {
        RestartTurns turns = new RestartTurns(GRACE, CHECK_INTERVAL);
        Instant now = TURN_START.plusSeconds(1);

        RestartTurn first = turns.current(OVERDUE, REPLICAS, now);
        assertThat(downAt(first, now)).containsExactly(A.memberId());
        assertThat(first.rank()).isEqualTo(1);
        assertThat(first.replicas()).isEqualTo(3);
        assertThat(first.describe(now))
                .contains("member-a", "/10.0.0.1", "rank 1 of 3", "events-3 unowned past the grace period");
        assertThat(first.describe(first.until()))
                .startsWith("between turns since " + first.until() + " (the last was member member-a)");

        Instant nextTurn = now.plus(GRACE);
        assertThat(downAt(turns.current(OVERDUE, REPLICAS, nextTurn), nextTurn)).containsExactly(B.memberId());
        Instant third = nextTurn.plus(GRACE);
        assertThat(downAt(turns.current(OVERDUE, REPLICAS, third), third)).containsExactly(C.memberId());
        Instant fourth = third.plus(GRACE);
        assertThat(downAt(turns.current(OVERDUE, REPLICAS, fourth), fourth))
                .as("round again")
                .containsExactly(A.memberId());
    }

    @Test
    void replicasAgreeWhateverOrderTheyReadTheGroupInAndOneThatRestartedAgreesToo() {
        List<Owner> shuffled = new ArrayList<>(REPLICAS);
        Collections.reverse(shuffled);
        Instant now = TURN_START.plus(GRACE).plusSeconds(20);

        RestartTurn seenByA = new RestartTurns(GRACE, CHECK_INTERVAL).current(OVERDUE, REPLICAS, now);
        RestartTurn seenByC = new RestartTurns(GRACE, CHECK_INTERVAL).current(OVERDUE, shuffled, now.plusSeconds(3));

        assertThat(seenByA.chosen()).isEqualTo(B).isEqualTo(seenByC.chosen());
        assertThat(seenByA.until()).isEqualTo(seenByC.until());
    }

    @Test
    void theChosenReplicaLeavingTheGroupToRestartDoesNotPassItsTurnOn() {
        RestartTurns turns = new RestartTurns(GRACE, CHECK_INTERVAL);
        turns.current(OVERDUE, REPLICAS, TURN_START.plusSeconds(1));

        RestartTurn whileARestarts = turns.current(OVERDUE, List.of(B, C), TURN_START.plusSeconds(30));

        assertThat(whileARestarts.chosen()).isEqualTo(A);
        assertThat(downAt(whileARestarts, TURN_START.plusSeconds(30)))
                .as("B and C stay UP")
                .containsExactly(A.memberId());
    }

    @Test
    void aTurnEndsOneCheckIntervalBeforeTheNextBegins() {
        RestartTurn turn = new RestartTurns(GRACE, CHECK_INTERVAL).current(OVERDUE, REPLICAS, TURN_START);

        assertThat(turn.until()).isEqualTo(TURN_START.plus(GRACE).minus(CHECK_INTERVAL));
        assertThat(turn.isFor(A.memberId(), TURN_START.plusSeconds(54))).isTrue();
        assertThat(turn.isFor(A.memberId(), TURN_START.plusSeconds(55))).isFalse();
    }

    @Test
    void aGroupWithoutAnyReplicaOfOursFailsEveryReplica() {
        RestartTurn turn = new RestartTurns(GRACE, CHECK_INTERVAL).current(OVERDUE, List.of(), TURN_START);

        assertThat(turn.everyReplica()).isTrue();
        assertThat(downAt(turn, TURN_START.plus(GRACE.multipliedBy(5))))
                .containsExactly("member-a", "member-b", "member-c");
        assertThat(turn.describe(TURN_START)).startsWith("every replica: events-3 unowned past the grace period");
    }

    @Test
    void nothingOverdueIsNoTurnAndAFreshOverdueStartsFromTheCurrentTurn() {
        RestartTurns turns = new RestartTurns(GRACE, CHECK_INTERVAL);
        turns.current(OVERDUE, REPLICAS, TURN_START);

        assertThat(turns.current(List.of(), REPLICAS, TURN_START.plusSeconds(10)))
                .isNull();
        assertThat(turns.current(OVERDUE, REPLICAS, TURN_START.plusSeconds(20)).from())
                .isEqualTo(TURN_START.plusSeconds(20));
    }

    private static List<String> downAt(RestartTurn turn, Instant now) {
        return REPLICAS.stream()
                .map(Owner::memberId)
                .filter(id -> turn.isFor(id, now))
                .toList();
    }
}
