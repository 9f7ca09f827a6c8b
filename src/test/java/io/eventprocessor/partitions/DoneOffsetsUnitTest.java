package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The committed offset and the done offsets beyond a gap, through the commit's metadata and back. */
class DoneOffsetsUnitTest {

    @Test
    void withoutGapsTheCommittedOffsetFollowsAndNoMetadataIsWritten() {
        DoneOffsets done = new DoneOffsets(10);
        done.done(10);
        done.done(11);

        assertThat(done.committed()).isEqualTo(12);
        assertThat(done.metadata()).isEmpty();
    }

    @Test
    void aHeldRecordStopsTheCommitAndWhatIsDoneBeyondItTravelsInTheMetadata() {
        DoneOffsets done = new DoneOffsets(10);
        for (long offset : new long[] {11, 12, 13, 14, 17}) {
            done.done(offset);
        }

        assertThat(done.committed()).as("10 is held").isEqualTo(10);
        assertThat(done.metadata()).contains("done:1-4,7");

        DoneOffsets newOwner = DoneOffsets.fromCommit(10, done.metadata().orElseThrow());
        assertThat(newOwner.isDone(10)).isFalse();
        assertThat(newOwner.isDone(12)).isTrue();
        assertThat(newOwner.isDone(15)).isFalse();
        assertThat(newOwner.isDone(17)).isTrue();

        newOwner.done(10);
        assertThat(newOwner.committed())
                .as("the held record done: the commit moves over the rest")
                .isEqualTo(15);
        assertThat(newOwner.metadata()).contains("done:2");
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
        assertThat(done.metadata()).isEmpty();
    }
}
