package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;

/**
 * Tells, for partitions whose committed offset stands below the end offset, whether anything a reader can ever see
 * lies between them. A transactional producer (Kafka Streams, Flink, Debezium, this service exactly-once) ends each
 * transaction with a commit or abort marker: a control record that takes an offset but is never delivered, so the
 * group's commit after the last record stays one (or more, with aborted records) below the end for good. Counted as
 * lag, that would keep a quiet partition "behind" forever and trip the stall rule.
 * <p>
 * The probe reads from the committed offset as a {@code read_committed} consumer of no group (it commits nothing):
 * when its position reaches the end offset without a record delivered, only markers and aborted records were there.
 * A partition is probed once its committed offset has stood still for one refresh, and each (committed, end) pair
 * once; an open transaction holds the position back, so such a partition keeps its lag. Used by the monitor's
 * refresh thread only.
 */
final class TransactionMarkerProbe implements AutoCloseable {

    private record Range(long committed, long end) {}

    private final Consumer<byte[], byte[]> consumer;
    private final Duration budget;
    private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();
    private final Map<TopicPartition, Range> onlyMarkers = new HashMap<>();
    private final Map<TopicPartition, Range> readable = new HashMap<>();

    /**
     * @param consumer a consumer with {@code isolation.level=read_committed}, no group and no auto-commit
     * @param budget the longest one probe of all candidates may take
     */
    TransactionMarkerProbe(Consumer<byte[], byte[]> consumer, Duration budget) {
        this.consumer = consumer;
        this.budget = budget;
    }

    /**
     * The lag to report: {@code 0} when only markers and aborted records lie between the committed and the end
     * offset, else {@code end - committed}.
     *
     * @param lags per partition with a committed and an end offset: {@code [committed, end]}
     */
    Map<TopicPartition, Long> readableLag(Map<TopicPartition, long[]> lags) {
        Map<TopicPartition, Long> result = new HashMap<>();
        Map<TopicPartition, Range> toProbe = new HashMap<>();
        lags.forEach((partition, offsets) -> {
            Range range = new Range(offsets[0], offsets[1]);
            long lag = Math.max(0, range.end() - range.committed());
            result.put(partition, lag);
            Long before = lastCommitted.put(partition, range.committed());
            if (lag == 0 || before == null || before != range.committed()) {
                return;
            }
            if (range.equals(onlyMarkers.get(partition))) {
                result.put(partition, 0L);
            } else if (!range.equals(readable.get(partition))) {
                toProbe.put(partition, range);
            }
        });
        lastCommitted.keySet().retainAll(lags.keySet());
        onlyMarkers.keySet().retainAll(lags.keySet());
        readable.keySet().retainAll(lags.keySet());
        if (!toProbe.isEmpty()) {
            probe(toProbe).forEach(partition -> {
                onlyMarkers.put(partition, toProbe.get(partition));
                result.put(partition, 0L);
            });
        }
        return result;
    }

    /** The partitions whose range holds nothing readable; the others that held a record are remembered as such. */
    private Set<TopicPartition> probe(Map<TopicPartition, Range> ranges) {
        Set<TopicPartition> empty = new HashSet<>();
        Set<TopicPartition> open = new HashSet<>(ranges.keySet());
        try {
            consumer.assign(open);
            ranges.forEach((partition, range) -> consumer.seek(partition, range.committed()));
            long deadline = System.nanoTime() + budget.toNanos();
            while (!open.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (TopicPartition partition : records.partitions()) {
                    if (open.remove(partition)) {
                        readable.put(partition, ranges.get(partition));
                        consumer.pause(Set.of(partition));
                    }
                }
                for (TopicPartition partition : Set.copyOf(open)) {
                    if (consumer.position(partition, budget)
                            >= ranges.get(partition).end()) {
                        open.remove(partition);
                        empty.add(partition);
                    }
                }
            }
        } catch (KafkaException e) {
            Log.debugf("Could not read past the committed offsets of %s: %s", ranges.keySet(), e.getMessage());
        } finally {
            consumer.unsubscribe();
        }
        return empty;
    }

    @Override
    public void close() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        } catch (RuntimeException e) {
            // A close never fails the shutdown: the process is going away with the consumer.
            Log.debugf("Closing the marker probe's consumer: %s", e.getMessage());
        }
    }
}
