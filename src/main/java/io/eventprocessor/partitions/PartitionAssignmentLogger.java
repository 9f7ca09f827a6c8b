package io.eventprocessor.partitions;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Logs every assignment, revocation and loss of partitions of the {@code events-in} consumer, with
 * the member id (the original write-up's sarama Setup/Cleanup lines). Runs on the polling thread.
 */
@ApplicationScoped
@Identifier(PartitionAssignmentLogger.NAME)
public class PartitionAssignmentLogger implements KafkaConsumerRebalanceListener {

    /** Name the channel configuration refers to ({@code consumer-rebalance-listener.name}). */
    public static final String NAME = "partition-assignment-logger";

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Assigned to member %s of group %s: %s", memberId(consumer), groupId(consumer), describe(partitions));
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.infof("Revoked from member %s of group %s: %s", memberId(consumer), groupId(consumer), describe(partitions));
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Log.warnf("Lost by member %s of group %s (not committed): %s", memberId(consumer), groupId(consumer),
                describe(partitions));
    }

    private static String memberId(Consumer<?, ?> consumer) {
        try {
            return consumer.groupMetadata().memberId();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static String groupId(Consumer<?, ?> consumer) {
        try {
            return consumer.groupMetadata().groupId();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    static String describe(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return "[]";
        }
        return partitions.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .map(TopicPartition::toString)
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
