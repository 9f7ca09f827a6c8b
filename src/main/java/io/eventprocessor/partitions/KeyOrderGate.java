package io.eventprocessor.partitions;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Decides which polled records are processed now and which wait for order ({@link KeyOrderRule}): a record whose key a
 * growth moved waits, with every later record of its key on its partition, until the partitions the key left are done
 * up to the records written before the move; other keys of the partition flow past it. Keeps, per owned partition,
 * what is done ({@link DoneOffsets}) and what is held, which every commit carries in its metadata, so that a new owner
 * skips what was done beyond a held record and the owners of other partitions see what is held for which key. The
 * design: docs/design.md, "Key order through growth".
 */
@ApplicationScoped
public class KeyOrderGate {

    /**
     * Records to process now, in order.
     *
     * @param records the records
     * @param generation the group generation by which the writers judge them current: the poll's, or for a round
     *     without one the member's current generation (a held record is current by construction: the gate drops the
     *     held records of a partition when it is revoked)
     * @param changed partitions whose held records changed: their commit must say so even when none of their records
     *     is processed
     */
    public record Admitted(List<ConsumerRecord<byte[], byte[]>> records, int generation, Set<TopicPartition> changed) {

        public boolean isEmpty() {
            return records.isEmpty() && changed.isEmpty();
        }
    }

    /**
     * A partition holding records back for key order, for {@code GET /partitions}.
     *
     * @param topic its topic
     * @param partition its partition
     * @param keys keys held
     * @param records records held
     * @param since when its oldest held key began to wait
     * @param waitingFor each partition of the topic its held keys wait for, with the offset up to which (-1 while the
     *     producers' refresh bound has not passed, so that offset is not known yet)
     * @param doneUpTo each of those partitions' offset below which all is done, as this replica knows it (its own, or
     *     its owner's last commit; -1 when unknown)
     */
    @RegisterForReflection
    public record Hold(
            String topic,
            int partition,
            int keys,
            int records,
            Instant since,
            Map<Integer, Long> waitingFor,
            Map<Integer, Long> doneUpTo) {}

    private record FenceAt(TopicPartition partition, Instant closedAt) {}

    private static final class HeldKey {
        final int hash;
        final Instant since;
        final ArrayDeque<ConsumerRecord<byte[], byte[]>> records = new ArrayDeque<>();
        List<FenceAt> waitingFor = List.of();

        HeldKey(int hash, Instant since) {
            this.hash = hash;
            this.since = since;
        }
    }

    /** An owned partition: what is done, how far it was read, and its held keys in the order they began to wait. */
    private static final class PartitionOrder {
        DoneOffsets done;
        long fetched;
        final Map<ByteBuffer, HeldKey> held = new LinkedHashMap<>();
        /** Each held record's offset and key hash, kept as records are held and released. */
        final TreeMap<Long, Integer> heldOffsets = new TreeMap<>();
        /** Whether the commit metadata could not list what is done above the committed offset, at the last commit. */
        boolean metadataOverflow;

        PartitionOrder(DoneOffsets done) {
            this.done = done;
            this.fetched = done.committed();
        }

        HeldKey heldByHash(int hash) {
            for (HeldKey key : held.values()) {
                if (key.hash == hash) {
                    return key;
                }
            }
            return null;
        }

        /** Each held key's hash and the partitions (of the same topic) it waits for, up to which offset. */
        Map<Integer, Map<Integer, Long>> waits(Map<FenceAt, Long> ends) {
            Map<Integer, Map<Integer, Long>> waits = new TreeMap<>();
            for (HeldKey key : held.values()) {
                for (FenceAt fence : key.waitingFor) {
                    Long end = ends.get(fence);
                    if (end != null) {
                        waits.computeIfAbsent(key.hash, h -> new TreeMap<>())
                                .merge(fence.partition().partition(), end, Math::max);
                    }
                }
            }
            return waits;
        }

        void hold(HeldKey key, ConsumerRecord<byte[], byte[]> record, boolean inFront) {
            if (inFront) {
                key.records.addFirst(record);
            } else {
                key.records.addLast(record);
            }
            heldOffsets.put(record.offset(), key.hash);
        }

        ConsumerRecord<byte[], byte[]> releaseFirst(HeldKey key) {
            ConsumerRecord<byte[], byte[]> record = key.records.pollFirst();
            heldOffsets.remove(record.offset());
            return record;
        }
    }

    private final boolean enabled;
    private final KeyOrderRule rule;
    private final Duration maxHold;
    private final Clock clock;
    private final OwnershipFence fence;
    private final Map<String, GrowthHistory> histories = new ConcurrentHashMap<>();
    private final Map<FenceAt, Long> fenceEnds = new ConcurrentHashMap<>();
    private final Map<TopicPartition, PartitionOrder> owned = new HashMap<>();
    private final Set<String> foreignPartitioned = ConcurrentHashMap.newKeySet();
    private final Counter misplaced;
    private final Counter givenUp;
    private final Timer held;
    private volatile Map<TopicPartition, DoneOffsets> elsewhere = Map.of();
    private volatile Instant historiesAsOf = Instant.MIN;

    public KeyOrderGate(ProcessorConfig config, OwnershipFence fence, Clock clock, MeterRegistry registry) {
        this.fence = fence;
        this.enabled = config.keyOrder().enabled();
        this.rule = new KeyOrderRule(config.keyOrder().producerRefresh());
        this.maxHold = config.keyOrder().maxHold();
        this.clock = clock;
        this.misplaced = Counter.builder("event_processor.key_order.misplaced")
                .description("Keyed records on a partition that no partition count of their topic maps the key to: "
                        + "their producer does not use Kafka's default partitioner; processed without waiting")
                .register(registry);
        this.givenUp = Counter.builder("event_processor.key_order.given_up")
                .description("Keys processed after processor.key-order.max-hold without their earlier records done")
                .register(registry);
        this.held = Timer.builder("event_processor.key_order.held")
                .description("How long keys moved by a growth waited for their earlier records")
                .register(registry);
        registry.gauge("event_processor.key_order.held.records", this, KeyOrderGate::heldRecords);
    }

    /** Whether moved keys wait at all ({@code processor.key-order.enabled}). */
    public boolean enabled() {
        return enabled;
    }

    /** Whether records of the partitions owned here can be judged: the growth histories have been read. */
    public synchronized boolean ready() {
        return !enabled || historiesAsOf != Instant.MIN || owned.isEmpty();
    }

    // ---- the polling thread: assignments

    /** Partitions assigned here, with their commits: what their earlier owners did beyond a held record is skipped. */
    public synchronized void assigned(Map<TopicPartition, OffsetAndMetadata> commits) {
        commits.forEach((partition, commit) -> owned.put(
                partition,
                new PartitionOrder(
                        commit == null
                                ? new DoneOffsets(-1)
                                : DoneOffsets.fromCommit(commit.offset(), commit.metadata()))));
    }

    /** Partitions revoked: their held records are dropped (their next owner reads them again from the commit). */
    public synchronized void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(owned::remove);
    }

    // ---- the processing thread

    /**
     * The records of a poll to process now, after the held ones released since the last call: records done by an
     * earlier owner are left out, records of held keys join their key's wait, records of moved keys begin one.
     */
    public synchronized Admitted admit(Iterable<ConsumerRecord<byte[], byte[]>> polled, int generation) {
        Instant now = clock.instant();
        Set<TopicPartition> changed = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> go = new ArrayList<>();
        release(now, go, changed);
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            PartitionOrder order = owned.get(partition);
            if (order == null) {
                go.add(record);
                continue;
            }
            if (!fence.current(record, generation)) {
                // Polled before the partition was assigned here again: its new assignment reads it again from the
                // commit, and this record must not count as read (the writers would leave it out anyway).
                continue;
            }
            if (order.done.committed() < 0) {
                // No commit was read at the assignment: the first record read is where this owner starts.
                order.done = new DoneOffsets(record.offset());
                order.fetched = record.offset();
            }
            if (order.done.isDone(record.offset())) {
                continue;
            }
            if (order.fetched >= 0 && record.offset() > order.fetched) {
                order.done.skipped(order.fetched, record.offset());
            }
            order.fetched = record.offset() + 1;
            if (!enabled || record.key() == null) {
                go.add(record);
                continue;
            }
            ByteBuffer key = ByteBuffer.wrap(record.key());
            HeldKey heldKey = order.held.isEmpty() ? null : order.held.get(key);
            if (heldKey == null && mayGo(record, now)) {
                go.add(record);
                continue;
            }
            if (heldKey == null) {
                heldKey = new HeldKey(Utils.murmur2(record.key()), now);
                order.held.put(key, heldKey);
                changed.add(partition);
            }
            order.hold(heldKey, record, false);
        }
        return new Admitted(go, generation, changed);
    }

    /** The held records released since the last call, for a round without a poll. */
    public synchronized Admitted released() {
        Set<TopicPartition> changed = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> go = new ArrayList<>();
        release(clock.instant(), go, changed);
        return new Admitted(go, go.isEmpty() ? -1 : fence.generation(), changed);
    }

    /** Released records that could not be processed: held again, in front of their keys' later records. */
    public synchronized void holdAgain(Admitted released) {
        Instant now = clock.instant();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(released.records());
        java.util.Collections.reverse(records);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            PartitionOrder order = owned.get(new TopicPartition(record.topic(), record.partition()));
            if (order == null) {
                continue;
            }
            HeldKey key = record.key() == null
                    ? null
                    : order.held.computeIfAbsent(
                            ByteBuffer.wrap(record.key()), k -> new HeldKey(Utils.murmur2(record.key()), now));
            if (key != null) {
                order.hold(key, record, true);
            }
        }
    }

    /** Whether any record is held. */
    public synchronized boolean holding() {
        return owned.values().stream().anyMatch(order -> !order.held.isEmpty());
    }

    /** The writers' report: these records' outputs are stored. */
    public synchronized void done(Collection<? extends ConsumerRecord<?, ?>> records) {
        for (ConsumerRecord<?, ?> record : records) {
            PartitionOrder order = owned.get(new TopicPartition(record.topic(), record.partition()));
            if (order != null) {
                order.done.done(record.offset());
            }
        }
    }

    /**
     * What to commit for the owned ones of these partitions: the offset below which all is done and, in the metadata,
     * what is done beyond it and what is held.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> offsets(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionOrder order = owned.get(partition);
            if (order != null && order.done.committed() >= 0) {
                String metadata = order.done
                        .metadata(order.heldOffsets, order.waits(fenceEnds))
                        .orElse("");
                boolean overflow = metadata.isEmpty() && order.done.doneAbove() > 0;
                if (overflow && !order.metadataOverflow) {
                    // Once until the metadata fits again: this runs at every batch's commit.
                    Log.warnf(
                            "The commit of %s cannot list the %d records done above offset %d (offset.metadata.max.bytes):"
                                    + " a new owner would process them again",
                            partition, order.done.doneAbove(), order.done.committed());
                }
                order.metadataOverflow = overflow;
                offsets.put(partition, new OffsetAndMetadata(order.done.committed(), metadata));
            }
        }
        return offsets;
    }

    // ---- the ownership monitor's thread

    /** The growth histories as the growth log has them now. */
    void histories(Map<String, GrowthHistory> known, Instant asOf) {
        histories.putAll(known);
        historiesAsOf = asOf;
    }

    /** The group's commits: what the owners of partitions owned elsewhere have done and hold. */
    void commits(Map<TopicPartition, OffsetAndMetadata> commits) {
        Map<TopicPartition, DoneOffsets> views = new HashMap<>();
        commits.forEach((partition, commit) -> {
            if (commit != null) {
                views.put(partition, DoneOffsets.fromCommit(commit.offset(), commit.metadata()));
            }
        });
        elsewhere = views;
    }

    /** The fences whose time has passed and whose offsets are not known yet: each partition and its closing time. */
    synchronized Map<TopicPartition, Set<Instant>> fencesToResolve() {
        Instant now = clock.instant();
        Map<TopicPartition, Set<Instant>> open = new HashMap<>();
        for (PartitionOrder order : owned.values()) {
            for (HeldKey key : order.held.values()) {
                for (FenceAt fence : key.waitingFor) {
                    if (!fence.closedAt().isAfter(now) && !fenceEnds.containsKey(fence)) {
                        open.computeIfAbsent(fence.partition(), p -> new HashSet<>())
                                .add(fence.closedAt());
                    }
                }
            }
        }
        return open;
    }

    /** A fence's offset: the first record of the partition written at or after its closing time. */
    void fenceResolved(TopicPartition partition, Instant closedAt, long offset) {
        fenceEnds.put(new FenceAt(partition, closedAt), offset);
    }

    /** Each partition holding records back and what it waits for; in topic and partition order. */
    public synchronized List<Hold> holds() {
        List<Hold> holds = new ArrayList<>();
        owned.forEach((partition, order) -> {
            if (order.held.isEmpty()) {
                return;
            }
            int records = 0;
            Instant since = null;
            Map<Integer, Long> waitingFor = new TreeMap<>();
            for (HeldKey key : order.held.values()) {
                records += key.records.size();
                since = since == null || key.since.isBefore(since) ? key.since : since;
                for (FenceAt fence : key.waitingFor) {
                    waitingFor.merge(fence.partition().partition(), fenceEnds.getOrDefault(fence, -1L), Math::max);
                }
            }
            Map<Integer, Long> doneUpTo = new TreeMap<>();
            waitingFor.keySet().forEach(waited -> {
                TopicPartition other = new TopicPartition(partition.topic(), waited);
                PartitionOrder local = owned.get(other);
                DoneOffsets view = local != null ? local.done : elsewhere.get(other);
                doneUpTo.put(waited, view == null ? -1L : view.committed());
            });
            holds.add(new Hold(
                    partition.topic(), partition.partition(), order.held.size(), records, since, waitingFor, doneUpTo));
        });
        holds.sort(Comparator.comparing(Hold::topic).thenComparingInt(Hold::partition));
        return holds;
    }

    // ---- the rule

    /** Whether a keyed record with no held record of its key before it may be processed now. */
    private boolean mayGo(ConsumerRecord<byte[], byte[]> record, Instant now) {
        GrowthHistory history = histories.get(record.topic());
        if (history == null) {
            return true;
        }
        if (history.epochs().size() == 1
                && record.partition() < history.partitions()
                && KeyOrderRule.partitionFor(record.key(), history.partitions()) == record.partition()) {
            return true;
        }
        return verdict(record, history, now) == null;
    }

    /**
     * What still stops a held record: {@code null} when nothing does (the fences it waited for are reached, or it
     * proved to be misplaced), else the fences it waits for (empty while its topic's history may not show the count it
     * was written with yet).
     */
    private List<FenceAt> verdict(ConsumerRecord<byte[], byte[]> record, GrowthHistory history, Instant now) {
        KeyOrderRule.Verdict verdict =
                rule.judge(history, record.partition(), record.key(), Instant.ofEpochMilli(record.timestamp()));
        if (verdict instanceof KeyOrderRule.Free) {
            return null;
        }
        if (verdict instanceof KeyOrderRule.Misplaced wrong) {
            // Written after the last look at the topic: maybe with a count not seen yet. Else its producer does not
            // use the default partitioner.
            if (!foreignPartitioned.contains(record.topic())
                    && (record.partition() >= history.partitions()
                            || !Instant.ofEpochMilli(record.timestamp())
                                    .plusSeconds(1)
                                    .isBefore(historiesAsOf))) {
                return List.of();
            }
            if (foreignPartitioned.add(record.topic())) {
                Log.warnf(
                        "Record %s-%d@%d has a key that Kafka's default partitioner puts on partition(s) %s of %s, "
                                + "never on %d: its producer partitions otherwise, and key order through growth cannot be "
                                + "kept for such records (counted in event_processor.key_order.misplaced; logged once per "
                                + "topic)",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        wrong.expected(),
                        record.topic(),
                        record.partition());
            }
            misplaced.increment();
            return null;
        }
        List<FenceAt> fences = new ArrayList<>();
        for (KeyOrderRule.Fence fence : ((KeyOrderRule.Wait) verdict).fences()) {
            fences.add(new FenceAt(new TopicPartition(record.topic(), fence.partition()), fence.closedAt()));
        }
        return reached(fences, record, now) ? null : fences;
    }

    /**
     * Whether every fence is reached: its time passed, and its partition done up to its offset, but for records held
     * for other keys and, for the record's own key, records that wait for the record's partition beyond the record
     * (the key came back to that partition after leaving it: those records are later ones).
     */
    private boolean reached(List<FenceAt> fences, ConsumerRecord<byte[], byte[]> record, Instant now) {
        int keyHash = Utils.murmur2(record.key());
        for (FenceAt fence : fences) {
            if (fence.closedAt().isAfter(now)) {
                return false;
            }
            Long end = fenceEnds.get(fence);
            if (end == null) {
                return false;
            }
            PartitionOrder local = owned.get(fence.partition());
            boolean covered;
            if (local != null) {
                HeldKey same = local.heldByHash(keyHash);
                boolean later = same != null
                        && same.waitingFor.stream()
                                .anyMatch(wait -> wait.partition().partition() == record.partition()
                                        && fenceEnds.getOrDefault(wait, -1L) > record.offset());
                covered = local.done.covers(end, keyHash, local.heldOffsets, later);
            } else {
                DoneOffsets view = elsewhere.get(fence.partition());
                covered = view != null
                        && view.covers(
                                end,
                                keyHash,
                                view.heldInCommit(),
                                view.waitsBeyond(keyHash, record.partition(), record.offset()));
            }
            if (!covered) {
                return false;
            }
        }
        return true;
    }

    /** Moves the records of every key whose wait is over into {@code go}. */
    private void release(Instant now, List<ConsumerRecord<byte[], byte[]>> go, Set<TopicPartition> changed) {
        for (Map.Entry<TopicPartition, PartitionOrder> entry : owned.entrySet()) {
            PartitionOrder order = entry.getValue();
            Iterator<HeldKey> keys = order.held.values().iterator();
            while (keys.hasNext()) {
                HeldKey key = keys.next();
                boolean overdue = !key.since.plus(maxHold).isAfter(now);
                while (!key.records.isEmpty()) {
                    ConsumerRecord<byte[], byte[]> first = key.records.peekFirst();
                    GrowthHistory history = histories.get(entry.getKey().topic());
                    List<FenceAt> waiting = history == null ? null : verdict(first, history, now);
                    if (waiting != null && !overdue) {
                        key.waitingFor = waiting;
                        break;
                    }
                    if (waiting != null) {
                        givenUp.increment();
                        Log.warnf(
                                "A key of %s waited %s (processor.key-order.max-hold) for records of %s: processing "
                                        + "its %d held record(s) now, perhaps before an earlier one of the same key",
                                entry.getKey(), maxHold, waiting, key.records.size());
                        overdue = true;
                    }
                    go.add(order.releaseFirst(key));
                }
                if (key.records.isEmpty()) {
                    keys.remove();
                    held.record(Duration.between(key.since, now));
                    changed.add(entry.getKey());
                }
            }
        }
    }

    private synchronized double heldRecords() {
        return owned.values().stream()
                .mapToInt(order -> order.heldOffsets.size())
                .sum();
    }
}
