package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Pickup time of new partitions, as a histogram per topic ({@code event_processor_partition_pickup_seconds}):
 * from a partition's first appearance in the ownership snapshot (a partition added while this replica runs)
 * to the first record of it this replica processes (zero when that record was processed before a refresh
 * showed the partition). Recorded once in the fleet, by the replica that processes that record; the others
 * forget the partition once another member owns it and has committed on it. A new partition nobody writes
 * to is recorded when its first record is processed.
 */
@ApplicationScoped
public class PartitionPickup {

    private final Map<TopicPartition, Instant> waiting = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<TopicPartition> known = new HashSet<>();
    private final Set<TopicPartition> processedHere = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;
    private final GroupMembership membership;
    private final Clock clock;
    private boolean firstLook = true;

    public PartitionPickup(MeterRegistry registry, GroupMembership membership, ProcessorConfig config, Clock clock) {
        this.registry = registry;
        this.membership = membership;
        this.clock = clock;
        timer(config.topics().events());
    }

    /**
     * Called by the monitor with every successful refresh: partitions it shows for the first time (after the
     * first refresh) start waiting; a waiting partition that another member owns and has committed on, or
     * that is gone, stops waiting here.
     */
    void observe(List<PartitionOwnership> partitions, Instant now) {
        Set<TopicPartition> existing = new HashSet<>();
        String self = membership.state().memberId();
        for (PartitionOwnership partition : partitions) {
            TopicPartition tp = new TopicPartition(partition.topic(), partition.partition());
            existing.add(tp);
            if (known.add(tp) && !firstLook) {
                if (processedHere.contains(tp)) {
                    // Taken and processed before a refresh showed it: picked up at once.
                    timer(tp.topic()).record(Duration.ZERO);
                } else {
                    waiting.putIfAbsent(tp, now);
                }
            } else if (partition.owner() != null && !partition.owner().memberId().equals(self)
                    && partition.committedOffset() != null) {
                waiting.remove(tp);
            }
        }
        known.retainAll(existing);
        waiting.keySet().retainAll(existing);
        firstLook = false;
    }

    /** Partitions waiting for their first processed record here. */
    Set<TopicPartition> waiting() {
        return Set.copyOf(waiting.keySet());
    }

    /** Called with the partitions of every processed batch; costs one set lookup per partition. */
    public void processed(Set<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (!processedHere.add(partition)) {
                continue;
            }
            Instant appeared = waiting.remove(partition);
            if (appeared != null) {
                timer(partition.topic()).record(Duration.between(appeared, clock.instant()));
            }
        }
    }

    private Timer timer(String topic) {
        return timers.computeIfAbsent(topic, name -> Timer.builder("event_processor.partition.pickup")
                .description("Time from a new partition's first appearance in the ownership snapshot to its first "
                        + "processed record")
                .tag("topic", name)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry));
    }
}
