package io.eventprocessor.partitions;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Rebalance listener of the {@code events-in} consumer: logs every assignment and revocation
 * with the member id and the partitions, applies the
 * {@link NewPartitionStartPolicy} to new assignments, keeps the {@link OwnershipFence} (which holds this member's
 * assignment) current, and commits what was processed of revoked partitions ({@link RevocationCommit}).
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

    private final NewPartitionStartPolicy startPolicy;
    private final OwnershipFence fence;
    private final RevocationCommit revocationCommit;

    public PartitionRebalanceListener(
            NewPartitionStartPolicy startPolicy, OwnershipFence fence, RevocationCommit revocationCommit) {
        this.startPolicy = startPolicy;
        this.fence = fence;
        this.revocationCommit = revocationCommit;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Assigned to %s: %s", member(consumer), describe(partitions));
        if (!partitions.isEmpty()) {
            startPolicy.apply(consumer, partitions);
        }
        fence.assigned(consumer, partitions);
        revocationCommit.assigned(partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Revoked from %s: %s", member(consumer), describe(partitions));
        fence.revoked(consumer, partitions);
        revocationCommit.commitRevoked(consumer, partitions);
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
