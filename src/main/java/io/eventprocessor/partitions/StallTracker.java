package io.eventprocessor.partitions;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

import io.eventprocessor.partitions.OwnershipSnapshot.Owner;

/**
 * Remembers, from one ownership refresh to the next, since when each partition has had lag while its
 * owner and its committed offset stayed the same. A partition with no lag or no owner is never stuck; a
 * new owner or a commit starts the clock again. Time comes from the caller, so the rule is tested without
 * waiting. Used by the monitor's refresh thread only.
 */
final class StallTracker {

    private record Seen(String ownerId, Long committedOffset, Instant since) {
    }

    private final Map<TopicPartition, Seen> seen = new HashMap<>();

    /**
     * @return since when the partition has been stuck (lag, same owner, same committed offset), or
     *         {@code null} when it is not
     */
    Instant observe(TopicPartition partition, Owner owner, Long committedOffset, Long lag, Instant now) {
        if (owner == null || lag == null || lag == 0) {
            seen.remove(partition);
            return null;
        }
        Seen last = seen.get(partition);
        if (last == null || !last.ownerId().equals(owner.memberId()) || !Objects.equals(last.committedOffset(), committedOffset)) {
            last = new Seen(owner.memberId(), committedOffset, now);
            seen.put(partition, last);
        }
        return last.since();
    }

    /** Forgets partitions that no longer exist. */
    void retain(Set<TopicPartition> existing) {
        seen.keySet().retainAll(existing);
    }
}
