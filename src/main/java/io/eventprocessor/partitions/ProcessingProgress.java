package io.eventprocessor.partitions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

/**
 * How many records of each partition this instance's processing step has finished (or given up on), as the batch
 * goes: a batch commits only at its end, so a slow step keeps the committed offset still for as long as the batch
 * takes, while this count shows it moving. The stall rule ({@link StallTracker}) counts a partition as stuck only when
 * neither moves.
 */
@ApplicationScoped
public class ProcessingProgress {

    private final Map<TopicPartition, LongAdder> finished = new ConcurrentHashMap<>();

    /** One more record of {@code partition} went through the step (processed, or failed an attempt). */
    public void advanced(String topic, int partition) {
        finished.computeIfAbsent(new TopicPartition(topic, partition), key -> new LongAdder())
                .increment();
    }

    /** Records of the partition through the step since start. */
    long of(TopicPartition partition) {
        LongAdder count = finished.get(partition);
        return count == null ? 0 : count.sum();
    }
}
