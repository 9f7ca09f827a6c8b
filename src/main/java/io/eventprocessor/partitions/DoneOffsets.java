package io.eventprocessor.partitions;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a partition has processed when records of held keys left gaps: the committed offset (every record below it is
 * done) and the offsets above it that are done too. Carried in the commit's metadata ({@link #metadata()}), so that a
 * new owner that starts at the committed offset skips the records already done beyond the gap instead of repeating
 * them. A partition with no gap commits no metadata.
 */
public final class DoneOffsets {

    /** Kafka's default {@code offset.metadata.max.bytes}: metadata beyond it is refused by the broker. */
    static final int MAX_METADATA_CHARS = 4096;

    private static final String PREFIX = "done:";

    private long committed;
    private final NavigableSet<Long> above = new TreeSet<>();

    /** A partition whose records below {@code committed} are done. */
    public DoneOffsets(long committed) {
        this.committed = committed;
    }

    /** The state a commit left: its offset and, when it had gaps, the done offsets in its metadata. */
    public static DoneOffsets fromCommit(long offset, String metadata) {
        DoneOffsets done = new DoneOffsets(offset);
        if (metadata != null && metadata.startsWith(PREFIX) && metadata.length() > PREFIX.length()) {
            for (String range : metadata.substring(PREFIX.length()).split(",")) {
                int dash = range.indexOf('-');
                long from = offset + Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                long to = dash < 0 ? from : offset + Long.parseLong(range.substring(dash + 1));
                for (long o = from; o <= to; o++) {
                    done.above.add(o);
                }
            }
        }
        return done;
    }

    /** Marks a record done; the committed offset moves over every record done without a gap. */
    public void done(long offset) {
        if (offset < committed) {
            return;
        }
        above.add(offset);
        while (!above.isEmpty() && above.first() == committed) {
            above.pollFirst();
            committed++;
        }
    }

    /** Whether the record at {@code offset} is done (below the committed offset, or done beyond a gap). */
    public boolean isDone(long offset) {
        return offset < committed || above.contains(offset);
    }

    /** The offset to commit: every record below it is done. */
    public long committed() {
        return committed;
    }

    /**
     * The commit's metadata: {@code done:} and the done offsets above the committed one, relative to it, as ranges
     * ({@code done:2-5,9}); empty when there is no gap. Empty too when it would exceed what the broker keeps: a new
     * owner then repeats those records (at least once) rather than losing the commit.
     */
    public Optional<String> metadata() {
        if (above.isEmpty()) {
            return Optional.empty();
        }
        List<String> ranges = new ArrayList<>();
        Long start = null;
        long previous = 0;
        for (long offset : above) {
            if (start != null && offset == previous + 1) {
                previous = offset;
                continue;
            }
            if (start != null) {
                ranges.add(range(start, previous));
            }
            start = offset;
            previous = offset;
        }
        ranges.add(range(start, previous));
        String metadata = PREFIX + String.join(",", ranges);
        return metadata.length() <= MAX_METADATA_CHARS ? Optional.of(metadata) : Optional.empty();
    }

    private String range(long from, long to) {
        return from == to ? String.valueOf(from - committed) : (from - committed) + "-" + (to - committed);
    }
}
