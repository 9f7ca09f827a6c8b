package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The ownership monitor's part in key order, at each refresh: records the consumed topics' partition counts in the
 * {@link GrowthLog} (a growth dated by the first replica to see it) and hands the histories to the {@link KeyOrderGate},
 * with the group's commits (what other owners have done and hold), and finds the offsets of the fences held keys
 * wait for ({@code listOffsets} by time: the first record written at or after the fence's time, else the end).
 */
final class GrowthWatch implements AutoCloseable {

    private final KeyOrderGate gate;
    private final GrowthLog log;
    private final Clock clock;
    private boolean read;

    GrowthWatch(
            KeyOrderGate gate, Map<String, Object> adminSettings, String growthTopic, Clock clock, Duration timeout) {
        this.gate = gate;
        this.clock = clock;
        this.log = new GrowthLog(adminSettings, growthTopic, timeout);
    }

    void observe(
            Admin admin,
            String growthTopic,
            List<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> commits,
            Map<TopicPartition, Long> ends,
            Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Instant now = clock.instant();
        if (!read) {
            GrowthLog.ensureTopic(admin, growthTopic, timeout);
            log.read();
            read = true;
        }
        Map<String, Integer> counts = new HashMap<>();
        partitions.forEach(partition -> counts.merge(partition.topic(), partition.partition() + 1, Math::max));
        boolean grew = false;
        for (Map.Entry<String, Integer> topic : counts.entrySet()) {
            GrowthHistory before = log.history(topic.getKey()).orElse(null);
            GrowthHistory after = log.seen(topic.getKey(), topic.getValue(), now);
            grew |= before != null && after != before;
        }
        gate.histories(grew ? log.read() : log.histories(), now);
        gate.commits(commits);
        resolveFences(admin, ends, timeout);
    }

    private void resolveFences(Admin admin, Map<TopicPartition, Long> ends, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (Map.Entry<TopicPartition, Set<Instant>> fence :
                gate.fencesToResolve().entrySet()) {
            for (Instant closedAt : fence.getValue()) {
                long offset = admin.listOffsets(
                                Map.of(fence.getKey(), OffsetSpec.forTimestamp(closedAt.toEpochMilli())))
                        .partitionResult(fence.getKey())
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .offset();
                if (offset < 0) {
                    Long end = ends.get(fence.getKey());
                    if (end == null) {
                        continue;
                    }
                    offset = end;
                }
                gate.fenceResolved(fence.getKey(), closedAt, offset);
            }
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
