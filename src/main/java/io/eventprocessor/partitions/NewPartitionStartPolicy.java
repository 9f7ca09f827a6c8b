package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.logging.Log;

/**
 * Decides where a freshly assigned partition without a committed offset starts, and pins that start.
 * <p>
 * A partition is <em>new to the group</em> when it has no committed offset while the group has
 * committed offsets on other partitions of the same topic: it starts at its earliest offset, whatever
 * {@code auto.offset.reset} says, so records written to a partition before the group got it are not
 * skipped (KIP-842). A group with no committed offset on the topic at all follows
 * {@code auto.offset.reset}, so a new deployment configured with {@code latest} does not replay history.
 * <p>
 * Either way the resolved start is committed at once: a partition the group has owned always has a
 * committed offset, so the next owner (after a crash, before any record was processed) agrees on it,
 * and a later partition of the topic is recognised as new. Runs on the polling thread, inside the
 * rebalance callback, where blocking consumer calls are allowed.
 */
@ApplicationScoped
public class NewPartitionStartPolicy {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final ProcessorConfig config;

    public NewPartitionStartPolicy(ProcessorConfig config) {
        this.config = config;
    }

    /** Applies the policy to partitions just assigned to this consumer. */
    public void apply(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Map<String, List<TopicPartition>> byTopic = assigned.stream()
                .collect(Collectors.groupingBy(TopicPartition::topic));
        Map<TopicPartition, OffsetAndMetadata> pinned = new HashMap<>();
        byTopic.forEach((topic, partitions) -> pinned.putAll(startPositions(consumer, topic, partitions)));
        if (!pinned.isEmpty()) {
            consumer.commitSync(pinned, CALL_TIMEOUT);
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> startPositions(Consumer<?, ?> consumer, String topic,
            List<TopicPartition> assigned) {
        Set<TopicPartition> allOfTopic = consumer.partitionsFor(topic, CALL_TIMEOUT).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .collect(Collectors.toSet());
        allOfTopic.addAll(assigned);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(allOfTopic, CALL_TIMEOUT);
        List<TopicPartition> uncommitted = assigned.stream().filter(tp -> committed.get(tp) == null).toList();
        if (uncommitted.isEmpty()) {
            return Map.of();
        }
        String group = consumer.groupMetadata().groupId();
        boolean groupKnowsTopic = committed.values().stream().anyMatch(Objects::nonNull);
        if (groupKnowsTopic && config.partitions().newPartitionsFromEarliest()) {
            consumer.seekToBeginning(uncommitted);
        }
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        for (TopicPartition partition : uncommitted) {
            long start = consumer.position(partition, CALL_TIMEOUT);
            starts.put(partition, new OffsetAndMetadata(start));
            if (groupKnowsTopic && config.partitions().newPartitionsFromEarliest()) {
                Log.infof("%s is new to group %s: starting at earliest offset %d", partition, group, start);
            } else {
                Log.infof("%s has no committed offset in group %s: starting at offset %d (auto.offset.reset)",
                        partition, group, start);
            }
        }
        return starts;
    }
}
