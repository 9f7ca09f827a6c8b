package io.eventprocessor.partitions;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What one ownership refresh learnt from the cluster, as plain values: the input of {@link OwnershipTracker}.
 *
 * @param partitions every partition of the consumed topics that exists, in topic and partition order
 * @param groupState the group's state, {@code null} when the group does not exist
 * @param groupProtocol {@code consumer} or {@code classic}, {@code null} when the group does not exist
 * @param assignments each member of the group and its partitions, in the order the coordinator lists them
 * @param committed the group's committed offset of each partition that has one
 * @param ends each partition's end offset
 * @param lags records a reader can still see between the committed offset and the end, where both are known
 * @param missingTopics listed consumed topics that do not exist (not created yet, or deleted)
 * @param heldForOrder partitions whose owner's last commit lists records held for key order ({@link KeyOrderGate})
 */
record ClusterAnswers(
        List<TopicPartition> partitions,
        String groupState,
        String groupProtocol,
        Map<Owner, Set<TopicPartition>> assignments,
        Map<TopicPartition, Long> committed,
        Map<TopicPartition, Long> ends,
        Map<TopicPartition, Long> lags,
        List<String> missingTopics,
        Set<TopicPartition> heldForOrder) {}
