package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.utils.Utils;

/**
 * Per-key order through topic growth, as a rule over one record: where Kafka's default partitioner put its key in each
 * partition count the topic has had ({@code murmur2(key) % count}), and which earlier partitions must have been read up
 * to when, before the record may be processed. Producers switch to a new count at their next metadata refresh, so a
 * partition the key left still receives its records for up to {@code producerRefresh} after the growth was seen: the
 * record waits until each such partition is read up to that moment ({@link Fence}). Keyless records, and keys that
 * never moved, never wait. The design, and what it rejects: docs/design.md, "Key order through growth".
 */
public final class KeyOrderRule {

    /** What one record needs before it may be processed. */
    public sealed interface Verdict permits Free, Wait, Misplaced {}

    /** Nothing: a keyless record, or a key whose earlier records are all on the record's own partition. */
    public record Free() implements Verdict {}

    /** The record's key was elsewhere before: each fence's partition must be read up to its time first. */
    public record Wait(List<Fence> fences) implements Verdict {}

    /**
     * The record is on a partition that no partition count of the topic maps its key to: its producer does not use
     * Kafka's default partitioner (or used a count never seen here). Reported, never held.
     *
     * @param expected the partitions the key maps to, one per count, oldest first
     */
    public record Misplaced(List<Integer> expected) implements Verdict {}

    /**
     * A partition the key left, and the moment after which no producer writes the key there any more (the growth
     * seen, plus the producers' refresh bound): the record waits until that partition is read up to its first record
     * written after it.
     */
    public record Fence(int partition, Instant closedAt) {}

    private final Duration producerRefresh;

    /** @param producerRefresh the longest any producer of the topic takes to see a new partition count */
    public KeyOrderRule(Duration producerRefresh) {
        this.producerRefresh = producerRefresh;
    }

    /** Kafka's default partitioner for a keyed record. */
    public static int partitionFor(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /**
     * What a record needs before it may be processed.
     *
     * @param history the partition counts of the record's topic
     * @param partition the record's partition
     * @param key the record's key, {@code null} when it has none
     * @param writtenAt the record's timestamp: of two epochs that both put the key on this partition, the record
     *     belongs to the last one that began before it
     */
    public Verdict judge(GrowthHistory history, int partition, byte[] key, Instant writtenAt) {
        if (key == null) {
            return new Free();
        }
        List<GrowthHistory.Epoch> epochs = history.epochs();
        List<Integer> homes = new ArrayList<>(epochs.size());
        for (GrowthHistory.Epoch epoch : epochs) {
            homes.add(partitionFor(key, epoch.partitions()));
        }
        int epoch = epochOf(homes, epochs, partition, writtenAt);
        if (epoch < 0) {
            return new Misplaced(List.copyOf(homes));
        }
        Map<Integer, Instant> fences = new TreeMap<>();
        for (int earlier = 0; earlier < epoch; earlier++) {
            int home = homes.get(earlier);
            if (home == partition) {
                continue;
            }
            int left = earlier + 1;
            while (homes.get(left) == home) {
                left++;
            }
            Instant closedAt = epochs.get(left).since().plus(producerRefresh);
            for (int back = left + 1; back < epochs.size(); back++) {
                if (homes.get(back) == home) {
                    // The key comes back to that partition: its records there from then on are later ones.
                    Instant returned = epochs.get(back).since();
                    closedAt = returned.isBefore(closedAt) ? returned : closedAt;
                    break;
                }
            }
            fences.merge(home, closedAt, (a, b) -> a.isAfter(b) ? a : b);
        }
        if (fences.isEmpty()) {
            return new Free();
        }
        return new Wait(fences.entrySet().stream()
                .map(fence -> new Fence(fence.getKey(), fence.getValue()))
                .toList());
    }

    /**
     * The epoch the record was written in: of those that put the key on its partition, the last that began no later
     * than the record; the first of them when the record is older than all; -1 when none does.
     */
    private static int epochOf(
            List<Integer> homes, List<GrowthHistory.Epoch> epochs, int partition, Instant writtenAt) {
        int first = -1;
        int chosen = -1;
        for (int i = 0; i < homes.size(); i++) {
            if (homes.get(i) != partition) {
                continue;
            }
            if (first < 0) {
                first = i;
            }
            if (!epochs.get(i).since().isAfter(writtenAt)) {
                chosen = i;
            }
        }
        return chosen >= 0 ? chosen : first;
    }
}
