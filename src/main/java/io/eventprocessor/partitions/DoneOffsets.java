package io.eventprocessor.partitions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a partition has processed when records of held keys left gaps: the committed offset (every record below it is
 * done), the offsets above it that are done too, and the held records' offsets with their keys' hashes. Carried in
 * the commit's metadata ({@link #metadata}), so that a new owner that starts at the committed offset skips what is
 * done beyond the gap instead of repeating it, and so that the owners of other partitions see which of the records
 * they wait for are held for another key ({@link #covers}). A partition with no gap commits no metadata.
 */
public final class DoneOffsets {

    /** Kafka's default {@code offset.metadata.max.bytes}: metadata beyond it is refused by the broker. */
    static final int MAX_METADATA_CHARS = 4096;

    private static final String DONE = "done:";
    private static final String HELD = "held:";
    private static final String WAITS = "waits:";

    private long committed;
    private final NavigableSet<Long> above = new TreeSet<>();
    private final NavigableMap<Long, Integer> heldHashes = new TreeMap<>();
    private final Map<Integer, Map<Integer, Long>> waits = new HashMap<>();

    /** How many offsets above the committed one are done. */
    public int doneAbove() {
        return above.size();
    }

    /** A partition whose records below {@code committed} are done. */
    public DoneOffsets(long committed) {
        this.committed = committed;
    }

    /** The state a commit left: its offset and, when it had gaps, the done and held offsets in its metadata. */
    public static DoneOffsets fromCommit(long offset, String metadata) {
        DoneOffsets done = new DoneOffsets(offset);
        if (metadata == null) {
            return done;
        }
        for (String part : metadata.split(";")) {
            if (part.startsWith(DONE) && part.length() > DONE.length()) {
                for (String range : part.substring(DONE.length()).split(",")) {
                    int dash = range.indexOf('-');
                    long from = offset + Long.parseLong(dash < 0 ? range : range.substring(0, dash));
                    long to = dash < 0 ? from : offset + Long.parseLong(range.substring(dash + 1));
                    for (long o = from; o <= to; o++) {
                        done.above.add(o);
                    }
                }
            } else if (part.startsWith(WAITS) && part.length() > WAITS.length()) {
                for (String wait : part.substring(WAITS.length()).split(",")) {
                    String[] fields = wait.split("[/>]");
                    done.waits
                            .computeIfAbsent(Integer.parseInt(fields[0]), h -> new HashMap<>())
                            .put(Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
                }
            } else if (part.startsWith(HELD) && part.length() > HELD.length()) {
                for (String held : part.substring(HELD.length()).split(",")) {
                    int slash = held.indexOf('/');
                    done.heldHashes.put(
                            offset + Long.parseLong(held.substring(0, slash)),
                            Integer.parseInt(held.substring(slash + 1)));
                }
            }
        }
        return done;
    }

    /** The partitions whose commit lists held records. */
    static Set<TopicPartition> heldIn(Map<TopicPartition, OffsetAndMetadata> commits) {
        Set<TopicPartition> held = new HashSet<>();
        commits.forEach((partition, commit) -> {
            if (commit != null && commit.metadata() != null && commit.metadata().contains(HELD)) {
                held.add(partition);
            }
        });
        return held;
    }

    /** Marks a record done; the committed offset moves over every record done without a gap. */
    public void done(long offset) {
        if (offset < committed) {
            return;
        }
        if (offset == committed && above.isEmpty()) {
            committed++;
            return;
        }
        above.add(offset);
        drain();
    }

    /**
     * Marks offsets that hold no record for this reader done ({@code [from, to)}: transaction markers, records of
     * aborted transactions, compacted records), as the reader learns by skipping them.
     */
    public void skipped(long from, long to) {
        if (to <= committed) {
            return;
        }
        if (from <= committed && above.isEmpty()) {
            committed = to;
            return;
        }
        for (long offset = Math.max(from, committed); offset < to; offset++) {
            above.add(offset);
        }
        drain();
    }

    private void drain() {
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
     * Whether every offset below {@code end} is done, or held for a key of another hash than {@code keyHash}: what
     * a record of that key, waiting for this partition up to {@code end}, needs. The held offsets are those of
     * {@code held} (offset to key hash; for a partition owned elsewhere, those its commit's metadata listed).
     */
    public boolean covers(long end, int keyHash, Map<Long, Integer> held, boolean sameKeyLater) {
        if (committed >= end) {
            return true;
        }
        long needed = end - committed;
        long found = above.subSet(committed, true, end, false).size();
        if (found + held.size() < needed) {
            return false;
        }
        for (Map.Entry<Long, Integer> entry : held.entrySet()) {
            long offset = entry.getKey();
            if (offset >= committed
                    && offset < end
                    && (sameKeyLater || entry.getValue() != keyHash)
                    && !above.contains(offset)) {
                found++;
            }
        }
        return found >= needed;
    }

    /**
     * Whether, as a commit's metadata listed, this partition's held records of key hash {@code keyHash} wait for
     * {@code partition} beyond {@code offset}: they are later than the record there, which need not wait for them.
     */
    public boolean waitsBeyond(int keyHash, int partition, long offset) {
        return waits.getOrDefault(keyHash, Map.of()).getOrDefault(partition, -1L) > offset;
    }

    /** The held offsets and key hashes a commit's metadata listed (empty for a partition owned here). */
    public Map<Long, Integer> heldInCommit() {
        return heldHashes;
    }

    /**
     * The commit's metadata: {@code done:} and the done offsets above the committed one, relative to it, as ranges
     * ({@code done:2-5,9}), then {@code ;held:} and the held offsets with their keys' hashes ({@code held:0/-1721}) and
     * {@code ;waits:} what each held key hash waits for ({@code waits:-1721/3>1560}: partition 3 up to offset 1560);
     * empty when there is neither. The held part is left out when it would exceed what the broker keeps (other
     * partitions then wait for those records too, no wrong release), the done part too when it alone would (a new
     * owner then repeats those records rather than losing the commit).
     */
    public Optional<String> metadata(Map<Long, Integer> held, Map<Integer, Map<Integer, Long>> heldWaits) {
        String done = above.isEmpty() ? "" : DONE + ranges();
        List<String> heldParts = new ArrayList<>();
        held.forEach((offset, hash) -> {
            if (offset >= committed) {
                heldParts.add((offset - committed) + "/" + hash);
            }
        });
        List<String> waitParts = new ArrayList<>();
        heldWaits.forEach(
                (hash, ends) -> ends.forEach((partition, end) -> waitParts.add(hash + "/" + partition + ">" + end)));
        String withHeld = heldParts.isEmpty()
                ? done
                : (done.isEmpty() ? "" : done + ";")
                        + HELD
                        + String.join(",", heldParts)
                        + (waitParts.isEmpty() ? "" : ";" + WAITS + String.join(",", waitParts));
        if (!withHeld.isEmpty() && withHeld.length() <= MAX_METADATA_CHARS) {
            return Optional.of(withHeld);
        }
        return done.isEmpty() || done.length() > MAX_METADATA_CHARS ? Optional.empty() : Optional.of(done);
    }

    private String ranges() {
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
        return String.join(",", ranges);
    }

    private String range(long from, long to) {
        return from == to ? String.valueOf(from - committed) : (from - committed) + "-" + (to - committed);
    }
}
