package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventprocessor.partitions.KeyOrderRule.Fence;
import io.eventprocessor.partitions.KeyOrderRule.Free;
import io.eventprocessor.partitions.KeyOrderRule.Misplaced;
import io.eventprocessor.partitions.KeyOrderRule.Wait;
import io.eventprocessor.support.PartitionerKeys;

/** Which earlier partitions a record of a moved key waits for, through one growth and several. */
class KeyOrderRuleUnitTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant GROWN = T0.plusSeconds(3600);
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final KeyOrderRule rule = new KeyOrderRule(REFRESH);

    private static GrowthHistory history(int... counts) {
        GrowthHistory history = GrowthHistory.of("orders", counts[0], T0);
        for (int i = 1; i < counts.length; i++) {
            history = history.seen(counts[i], GROWN.plus(Duration.ofHours(i - 1)));
        }
        return history;
    }

    @Test
    void keylessRecordsAndKeysThatStayedNeverWait() {
        GrowthHistory grown = history(3, 6);

        assertThat(rule.judge(grown, 4, null, GROWN.plusSeconds(1))).isEqualTo(new Free());
        byte[] stayed = PartitionerKeys.keyOn(new int[] {3, 6}, 1, 1);
        assertThat(rule.judge(grown, 1, stayed, GROWN.plusSeconds(1))).isEqualTo(new Free());
        assertThat(rule.judge(history(3), 2, PartitionerKeys.keyOn(new int[] {3}, 2), T0))
                .isEqualTo(new Free());
    }

    @Test
    void aKeyThatMovedToANewPartitionWaitsForItsOldOneUntilProducersSawTheGrowth() {
        byte[] moved = PartitionerKeys.keyOn(new int[] {3, 6}, 1, 4);

        assertThat(rule.judge(history(3, 6), 4, moved, GROWN.plusSeconds(1)))
                .isEqualTo(new Wait(List.of(new Fence(1, GROWN.plus(REFRESH)))));
    }

    @Test
    void theOldRecordsOfAMovedKeyOnItsOldPartitionFlow() {
        byte[] moved = PartitionerKeys.keyOn(new int[] {3, 6}, 1, 4);

        assertThat(rule.judge(history(3, 6), 1, moved, GROWN.plusSeconds(10)))
                .as("written by a producer that had not seen the growth yet")
                .isEqualTo(new Free());
    }

    @Test
    void growingFourToSixMovesKeysBetweenOldPartitionsInBothDirections() {
        byte[] oneToThree = PartitionerKeys.keyOn(new int[] {4, 6}, 1, 3);
        byte[] threeToOne = PartitionerKeys.keyOn(new int[] {4, 6}, 3, 1);

        assertThat(rule.judge(history(4, 6), 3, oneToThree, GROWN.plusSeconds(1)))
                .isEqualTo(new Wait(List.of(new Fence(1, GROWN.plus(REFRESH)))));
        assertThat(rule.judge(history(4, 6), 1, threeToOne, GROWN.plusSeconds(1)))
                .isEqualTo(new Wait(List.of(new Fence(3, GROWN.plus(REFRESH)))));
        assertThat(rule.judge(history(4, 6), 3, threeToOne, GROWN.plusSeconds(1)))
                .as("its records still on 3 are older")
                .isEqualTo(new Free());
    }

    @Test
    void throughSeveralGrowthsARecordWaitsForEveryPartitionItsKeyLeft() {
        byte[] wandering = PartitionerKeys.keyOn(new int[] {3, 6, 9}, 1, 4, 7);
        GrowthHistory twice = history(3, 6, 9);
        Instant second = GROWN.plus(Duration.ofHours(1));

        assertThat(rule.judge(twice, 7, wandering, second.plusSeconds(1)))
                .isEqualTo(new Wait(List.of(new Fence(1, GROWN.plus(REFRESH)), new Fence(4, second.plus(REFRESH)))));
        assertThat(rule.judge(twice, 4, wandering, GROWN.plusSeconds(1)))
                .as("a record of the middle epoch waits for the first partition only")
                .isEqualTo(new Wait(List.of(new Fence(1, GROWN.plus(REFRESH)))));
    }

    @Test
    void aKeyThatComesBackBelongsToTheEpochItsRecordWasWrittenIn() {
        byte[] returning = PartitionerKeys.keyOn(new int[] {3, 4, 6}, 1, 3, 1);
        GrowthHistory twice = history(3, 4, 6);
        Instant second = GROWN.plus(Duration.ofHours(1));

        assertThat(rule.judge(twice, 1, returning, GROWN.minusSeconds(60)))
                .as("written before the key left: nothing to wait for")
                .isEqualTo(new Free());
        assertThat(rule.judge(twice, 1, returning, second.plusSeconds(1)))
                .as("written after it came back: its records on 3 first")
                .isEqualTo(new Wait(List.of(new Fence(3, second.plus(REFRESH)))));
    }

    @Test
    void aKeyOnAPartitionNoCountMapsItToIsReportedNotHeld() {
        byte[] key = PartitionerKeys.keyOn(new int[] {3, 6}, 1, 4);

        assertThat(rule.judge(history(3, 6), 2, key, GROWN.plusSeconds(1))).isEqualTo(new Misplaced(List.of(1, 4)));
    }

    @Test
    void aHistoryOnlyGrows() {
        GrowthHistory history = history(3, 6);

        assertThat(history.seen(6, GROWN.plusSeconds(60))).isSameAs(history);
        assertThat(history.seen(4, GROWN.plusSeconds(60))).isSameAs(history);
        assertThat(history.seen(9, GROWN.plusSeconds(60)).partitions()).isEqualTo(9);
    }

    @Test
    void aKeyThatComesBackToAPartitionWaitsThereOnlyForWhatWasWrittenBeforeItCameBack() {
        GrowthHistory twice = new GrowthHistory(
                "orders",
                List.of(
                        new GrowthHistory.Epoch(3, T0),
                        new GrowthHistory.Epoch(6, GROWN),
                        new GrowthHistory.Epoch(9, GROWN.plusSeconds(1))));
        byte[] back = PartitionerKeys.keyOn(new int[] {3, 6, 9}, 0, 3, 0);

        assertThat(rule.judge(twice, 3, back, GROWN.plusMillis(500)))
                .as("on 3 it waits for 0 only up to the key's return there, not the producers' whole refresh bound")
                .isEqualTo(new Wait(List.of(new Fence(0, GROWN.plusSeconds(1)))));
    }
}
