package io.eventprocessor.partitions;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * Remembers, from one ownership refresh to the next, since when each partition has had lag while its
 * owner, its committed offset and this instance's processing progress on it stayed the same. A partition with no
 * lag or no owner is never stuck; a new owner, a commit or a record through the processing step starts the clock
 * again, so a slow step that moves is never stuck, and one record that hangs is. Time comes from the caller, so the
 * rule is tested without waiting. Used by the monitor's refresh thread only.
 */
final class StallTracker {

    private record Seen(String ownerId, Long committedOffset, long progress, Instant since) {}

    private final Map<TopicPartition, Seen> seen = new HashMap<>();

    /**
     * @param progress records of the partition through this instance's processing step ({@link ProcessingProgress})
     * @return since when the partition has been stuck (lag, same owner, same committed offset, same progress), or
     *         {@code null} when it is not
     */
    Instant observe(TopicPartition partition, Owner owner, Long committedOffset, Long lag, long progress, Instant now) {
        if (owner == null || lag == null || lag == 0) {
            seen.remove(partition);
            return null;
        }
        Seen last = seen.get(partition);
        if (last == null
                || !last.ownerId().equals(owner.memberId())
                || !Objects.equals(last.committedOffset(), committedOffset)
                || last.progress() != progress) {
            last = new Seen(owner.memberId(), committedOffset, progress, now);
            seen.put(partition, last);
        }
        return last.since();
    }

    /**
     * A partition holding records back for key order waits, it is not stuck: never stalled meanwhile, and its clock
     * starts again when the hold ends.
     *
     * @return {@code null}
     */
    Instant held(TopicPartition partition) {
        seen.remove(partition);
        return null;
    }

    /** Forgets partitions that no longer exist. */
    void retain(Set<TopicPartition> existing) {
        seen.keySet().retainAll(existing);
    }
}
