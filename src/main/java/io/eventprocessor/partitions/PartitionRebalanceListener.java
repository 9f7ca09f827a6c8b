package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Rebalance listener of the {@code events-in} consumer: logs every assignment and revocation
 * with the member id and the partitions, applies the
 * {@link NewPartitionStartPolicy} to new assignments, keeps the {@link OwnershipFence} (which holds this member's
 * assignment) and the {@link KeyOrderGate} (which starts each partition from its commit) current, and commits what was
 * processed of revoked partitions ({@link OffsetCommits}).
 * Runs on the polling thread, so it may block on consumer calls.
 * <p>
 * Partitions lost (the member was fenced or its session expired) arrive as revocations: the connector's wrapper
 * (SmallRye 4.33) does not pass {@code onPartitionsLost} on, and Kafka's default turns a loss into
 * {@code onPartitionsRevoked}, so both remove the partitions from the fence alike.
 */
@ApplicationScoped
@Identifier(PartitionRebalanceListener.NAME)
public class PartitionRebalanceListener implements KafkaConsumerRebalanceListener {

    /** Name the channel configuration refers to ({@code consumer-rebalance-listener.name}). */
    public static final String NAME = "partition-rebalance-listener";

    private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(10);

    private final NewPartitionStartPolicy startPolicy;
    private final OwnershipFence fence;
    private final OffsetCommits commits;
    private final KeyOrderGate gate;

    public PartitionRebalanceListener(
            NewPartitionStartPolicy startPolicy, OwnershipFence fence, OffsetCommits commits, KeyOrderGate gate) {
        this.startPolicy = startPolicy;
        this.fence = fence;
        this.commits = commits;
        this.gate = gate;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Assigned to %s: %s", member(consumer), describe(partitions));
        if (!partitions.isEmpty()) {
            startPolicy.apply(consumer, partitions);
        }
        gate.assigned(committed(consumer, partitions));
        fence.assigned(consumer, partitions);
    }

    /** The commits of partitions just assigned; {@code null} each where they cannot be read (the first record read
     * is then where this owner starts). */
    private static Map<TopicPartition, OffsetAndMetadata> committed(
            Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        partitions.forEach(partition -> commits.put(partition, null));
        if (partitions.isEmpty()) {
            return commits;
        }
        try {
            consumer.committed(new HashSet<>(partitions), COMMITTED_TIMEOUT).forEach((partition, commit) -> {
                if (commit != null) {
                    commits.put(partition, commit);
                }
            });
        } catch (RuntimeException e) {
            Log.warnf(
                    "Could not read the commits of %s: each starts where its first record is read (%s)",
                    partitions, e.toString());
        }
        return commits;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Revoked from %s: %s", member(consumer), describe(partitions));
        fence.revoked(consumer, partitions);
        commits.commitRevoked(consumer, partitions);
    }

    /** {@code member <id> of group <group>}, for log lines. */
    private static String member(Consumer<?, ?> consumer) {
        return metadata(consumer)
                .map(group -> "member " + group.memberId() + " of group " + group.groupId())
                .orElse("member ? of group ?");
    }

    private static Optional<ConsumerGroupMetadata> metadata(Consumer<?, ?> consumer) {
        try {
            return Optional.of(consumer.groupMetadata());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String describe(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .map(TopicPartition::toString)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
