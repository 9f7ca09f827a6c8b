package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The committed offset and the done offsets beyond a gap, through the commit's metadata and back. */
class DoneOffsetsUnitTest {

    @Test
    void withoutGapsTheCommittedOffsetFollowsAndNoMetadataIsWritten() {
        DoneOffsets done = new DoneOffsets(10);
        done.done(10);
        done.done(11);

        assertThat(done.committed()).isEqualTo(12);
        assertThat(done.metadata(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void aHeldRecordStopsTheCommitAndWhatIsDoneBeyondItTravelsInTheMetadata() {
        DoneOffsets done = new DoneOffsets(10);
        for (long offset : new long[] {11, 12, 13, 14, 17}) {
            done.done(offset);
        }

        assertThat(done.committed()).as("10 is held").isEqualTo(10);
        assertThat(done.metadata(Map.of(), Map.of())).contains("done:1-4,7");

        DoneOffsets newOwner =
                DoneOffsets.fromCommit(10, done.metadata(Map.of(), Map.of()).orElseThrow());
        assertThat(newOwner.isDone(10)).isFalse();
        assertThat(newOwner.isDone(12)).isTrue();
        assertThat(newOwner.isDone(15)).isFalse();
        assertThat(newOwner.isDone(17)).isTrue();

        newOwner.done(10);
        assertThat(newOwner.committed())
                .as("the held record done: the commit moves over the rest")
                .isEqualTo(15);
        assertThat(newOwner.metadata(Map.of(), Map.of())).contains("done:2");
    }

    @Test
    void metadataOfAnotherKindOrNoneMeansNothingDoneBeyondTheCommit() {
        assertThat(DoneOffsets.fromCommit(5, "").isDone(6)).isFalse();
        assertThat(DoneOffsets.fromCommit(5, null).isDone(5)).isFalse();
        assertThat(DoneOffsets.fromCommit(5, "something else").isDone(6)).isFalse();
    }

    @Test
    void metadataTooLargeForTheBrokerIsLeftOutSoThatTheCommitStillSucceeds() {
        DoneOffsets done = new DoneOffsets(0);
        for (long offset = 2; offset < 20_000; offset += 2) {
            done.done(offset);
        }

        assertThat(done.committed()).isZero();
        assertThat(done.metadata(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void heldOffsetsTravelWithTheirKeyHashesAndCoverOnlyOtherKeys() {
        DoneOffsets done = new DoneOffsets(10);
        done.done(11);
        done.skipped(12, 14);
        Map<Long, Integer> held = Map.of(10L, 7);

        String metadata = done.metadata(held, Map.of(7, Map.of(3, 1560L))).orElseThrow();
        assertThat(metadata).isEqualTo("done:1-3;held:0/7;waits:7/3>1560");

        DoneOffsets seenElsewhere = DoneOffsets.fromCommit(10, metadata);
        assertThat(seenElsewhere.covers(14, 8, seenElsewhere.heldInCommit(), false))
                .as("10 is held for key hash 7: a record of key hash 8 need not wait for it")
                .isTrue();
        assertThat(seenElsewhere.covers(14, 7, seenElsewhere.heldInCommit(), false))
                .as("a record of key hash 7 waits for its own key's held record")
                .isFalse();
        assertThat(seenElsewhere.covers(15, 8, seenElsewhere.heldInCommit(), false))
                .as("14 is neither done nor held")
                .isFalse();
        assertThat(seenElsewhere.covers(10, 7, Map.of(), false)).isTrue();
    }

    @Test
    void offsetsWithoutRecordsMoveTheCommitLikeDoneRecords() {
        DoneOffsets done = new DoneOffsets(0);
        done.skipped(0, 5);
        assertThat(done.committed()).isEqualTo(5);
        done.done(6);
        done.skipped(5, 6);
        assertThat(done.committed()).isEqualTo(7);
    }

    @Test
    void aHeldRecordOfTheSameKeyWaitingForTheWaitersPartitionBeyondItIsLaterAndDoesNotBlock() {
        DoneOffsets seenElsewhere = DoneOffsets.fromCommit(10, "held:0/7;waits:7/3>1560");

        assertThat(seenElsewhere.waitsBeyond(7, 3, 1000)).isTrue();
        assertThat(seenElsewhere.waitsBeyond(7, 3, 1560)).isFalse();
        assertThat(seenElsewhere.waitsBeyond(7, 4, 1000)).isFalse();
        assertThat(seenElsewhere.covers(11, 7, seenElsewhere.heldInCommit(), true))
                .isTrue();
    }
}
