package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Pickup time of new partitions, as a histogram per topic ({@code event_processor_partition_pickup_seconds}):
 * from a partition's first appearance in the ownership snapshot (a partition added while this replica runs)
 * to the first record of it this replica processes (zero when that record was processed before a refresh
 * showed the partition). Recorded once in the fleet, by the replica that processes that record; the others
 * forget the partition once another member owns it and has committed on it. A new partition nobody writes
 * to is recorded when its first record is processed.
 * <p>
 * For the partition page, every replica also keeps the partitions that appeared in the last {@value #NEW_FOR_MINUTES}
 * minutes with their pickup time as this replica saw it ({@link #recent()}). A topic that starts matching the consumed
 * pattern counts the same way: each of its partitions is new.
 */
@ApplicationScoped
public class PartitionPickup {

    /** How long a partition counts as new on the partition page. */
    static final long NEW_FOR_MINUTES = 10;

    /**
     * A partition that appeared while this replica runs.
     *
     * @param name {@code topic-partition}
     * @param appearedAt when a refresh showed it first
     * @param pickupSeconds seconds from then to its first record processed here, or, for a partition another member
     *        took, to the refresh that showed that member owning it with a committed offset; {@code null} while
     *        it waits
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewPartition(String name, Instant appearedAt, Double pickupSeconds) {}

    private final Map<TopicPartition, Instant> waiting = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Instant> appeared = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Duration> pickedUp = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<TopicPartition> known = new HashSet<>();
    private final Set<TopicPartition> processedHere = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final OwnershipFence fence;
    private final Clock clock;
    private boolean firstLook = true;

    public PartitionPickup(MeterRegistry registry, OwnershipFence fence, ConsumedTopics consumed, Clock clock) {
        this.registry = registry;
        this.fence = fence;
        this.clock = clock;
        consumed.listed().forEach(this::timer);
    }

    /**
     * Called by the monitor with every successful refresh: partitions it shows for the first time (after the
     * first refresh) start waiting; a waiting partition that another member owns and has committed on, or
     * that is gone, stops waiting here.
     */
    void observe(List<PartitionOwnership> partitions, Instant now) {
        Set<TopicPartition> existing = new HashSet<>();
        String self = fence.membership().memberId();
        for (PartitionOwnership partition : partitions) {
            TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
            existing.add(tp);
            if (known.add(tp) && !firstLook) {
                appeared.put(tp, now);
                if (processedHere.contains(tp)) {
                    // Taken and processed before a refresh showed it: picked up at once.
                    timer(tp.topic()).record(Duration.ZERO);
                    pickedUp.put(tp, Duration.ZERO);
                } else {
                    waiting.putIfAbsent(tp, now);
                }
            } else if (partition.owner() != null
                    && !partition.owner().memberId().equals(self)
                    && partition.committedOffset() != null) {
                Instant since = waiting.remove(tp);
                if (since != null) {
                    pickedUp.putIfAbsent(tp, Duration.between(since, now));
                }
            }
        }
        known.retainAll(existing);
        waiting.keySet().retainAll(existing);
        Instant newSince = now.minus(Duration.ofMinutes(NEW_FOR_MINUTES));
        appeared.entrySet()
                .removeIf(entry ->
                        !existing.contains(entry.getKey()) || entry.getValue().isBefore(newSince));
        pickedUp.keySet().retainAll(appeared.keySet());
        firstLook = false;
    }

    /** The partitions that appeared in the last {@value #NEW_FOR_MINUTES} minutes, by name. */
    public List<NewPartition> recent() {
        Instant newSince = clock.instant().minus(Duration.ofMinutes(NEW_FOR_MINUTES));
        return appeared.entrySet().stream()
                .filter(entry -> !entry.getValue().isBefore(newSince))
                .map(entry -> {
                    Duration pickup = pickedUp.get(entry.getKey());
                    return new NewPartition(
                            entry.getKey().toString(),
                            entry.getValue(),
                            pickup == null ? null : pickup.toMillis() / 1000.0);
                })
                .sorted(Comparator.comparing(NewPartition::name))
                .toList();
    }

    /** Called with the partitions of every processed batch; costs one set lookup per partition. */
    public void processed(Set<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (!processedHere.add(partition)) {
                continue;
            }
            Instant since = waiting.remove(partition);
            if (since != null) {
                Duration pickup = Duration.between(since, clock.instant());
                timer(partition.topic()).record(pickup);
                pickedUp.put(partition, pickup);
            }
        }
    }

    private Timer timer(String topic) {
        return timers.computeIfAbsent(
                topic,
                name -> Timer.builder("event_processor.partition.pickup")
                        .description(
                                "Time from a new partition's first appearance in the ownership snapshot to its first "
                                        + "processed record")
                        .tag("topic", name)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(100))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry));
    }
}
