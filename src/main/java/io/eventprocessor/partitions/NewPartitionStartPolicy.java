package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.eclipse.microprofile.config.Config;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.ChannelAttributes;
import io.eventprocessor.kafka.StartOffsetReset;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Decides where a freshly assigned partition without a committed offset starts, and commits that start at once:
 * its earliest offset when the group has commits on any partition of a consumed topic (the partition, or its whole
 * topic, is new to the group: a topic grew, or a topic was added or began to match the pattern), else the
 * configured {@code auto.offset.reset}, applied here ({@link StartOffsetReset}). Runs in the rebalance callback;
 * fails closed (never at the end). The rule and its failure handling: docs/design.md, "Partition safety".
 */
@ApplicationScoped
public class NewPartitionStartPolicy {

    static final int ATTEMPTS = 3;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY_WAIT = Duration.ofSeconds(1);

    private final boolean newPartitionsFromEarliest;
    private final boolean configuredLatest;
    private final Counter failures;

    /**
     * @param config {@code processor.partitions.new-partitions-from-earliest}
     * @param settings where the {@code auto.offset.reset} of the {@code events-in} channel is read
     * @param registry where the failure counter is registered
     */
    public NewPartitionStartPolicy(ProcessorConfig config, Config settings, MeterRegistry registry) {
        this.newPartitionsFromEarliest = config.partitions().newPartitionsFromEarliest();
        this.configuredLatest = StartOffsetReset.LATEST.equals(configuredReset(settings));
        this.failures = Counter.builder("event_processor.partition.start.failures")
                .description("Assignments whose start offsets could not be decided or committed (those partitions "
                        + "started at their committed or earliest offset)")
                .register(registry);
    }

    /** Applies the policy to partitions just assigned to this consumer; never throws. */
    public void apply(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Duration wait = FIRST_RETRY_WAIT;
        for (int attempt = 1; ; attempt++) {
            try {
                decideAndPin(consumer, assigned);
                return;
            } catch (InterruptException e) {
                giveUp(assigned, attempt, e);
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS) {
                    giveUp(assigned, attempt, e);
                    return;
                }
                Log.warnf(
                        "Could not decide the start of %s (attempt %d of %d), retrying in %s: %s",
                        assigned, attempt, ATTEMPTS, wait, e.toString());
                if (!sleep(wait)) {
                    giveUp(assigned, attempt, e);
                    return;
                }
                wait = wait.multipliedBy(2);
            }
        }
    }

    private void giveUp(Collection<TopicPartition> assigned, int attempts, RuntimeException cause) {
        failures.increment();
        Log.errorf(
                cause,
                "Could not decide or commit the start of %s after %d attempt(s); those without a committed "
                        + "offset start at their earliest offset (never at the end): nothing is skipped, records may be "
                        + "processed again",
                assigned,
                attempts);
    }

    private void decideAndPin(Consumer<?, ?> consumer, Collection<TopicPartition> assigned) {
        Set<String> assignedTopics = new TreeSet<>();
        assigned.forEach(partition -> assignedTopics.add(partition.topic()));
        Set<TopicPartition> ofAssignedTopics = partitionsOf(consumer, assignedTopics);
        ofAssignedTopics.addAll(assigned);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(ofAssignedTopics, CALL_TIMEOUT);
        List<TopicPartition> uncommitted =
                assigned.stream().filter(tp -> committed.get(tp) == null).toList();
        if (uncommitted.isEmpty()) {
            return;
        }
        String group = consumer.groupMetadata().groupId();
        boolean fromEarliest = newPartitionsFromEarliest
                && (committed.values().stream().anyMatch(Objects::nonNull)
                        || groupHasCommitsOnOtherTopics(consumer, assignedTopics));
        if (fromEarliest) {
            consumer.seekToBeginning(uncommitted);
        } else if (configuredLatest) {
            consumer.seekToEnd(uncommitted);
        }
        Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
        for (TopicPartition partition : uncommitted) {
            long start = consumer.position(partition, CALL_TIMEOUT);
            starts.put(partition, new OffsetAndMetadata(start));
            if (fromEarliest) {
                Log.infof("%s is new to group %s: starting at earliest offset %d", partition, group, start);
            } else {
                Log.infof(
                        "%s has no committed offset in group %s: starting at offset %d (auto.offset.reset)",
                        partition, group, start);
            }
        }
        consumer.commitSync(starts, CALL_TIMEOUT);
    }

    /**
     * Whether the group has committed an offset on a partition of another topic of the subscription (for a pattern,
     * the topics it matches now): then a topic without commits is new to the group, not the group new to its topics.
     */
    private static boolean groupHasCommitsOnOtherTopics(Consumer<?, ?> consumer, Set<String> assignedTopics) {
        Set<String> others = new TreeSet<>(consumer.subscription());
        others.removeAll(assignedTopics);
        Set<TopicPartition> partitions = partitionsOf(consumer, others);
        return !partitions.isEmpty()
                && consumer.committed(partitions, CALL_TIMEOUT).values().stream()
                        .anyMatch(Objects::nonNull);
    }

    private static Set<TopicPartition> partitionsOf(Consumer<?, ?> consumer, Set<String> topics) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, CALL_TIMEOUT)
                    .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        return partitions;
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String configuredReset(Config settings) {
        return ChannelAttributes.channelOrShared(
                        settings, ChannelAttributes.EVENTS_IN, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, String.class)
                .orElse(StartOffsetReset.LATEST);
    }
}
