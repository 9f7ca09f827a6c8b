package io.eventprocessor.partitions;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

/**
 * What this instance knows of its own membership in the consumer group, as told by the rebalance
 * callbacks: whether it has joined, its member id and its current partitions.
 */
@ApplicationScoped
public class GroupMembership {

    private volatile State state = new State(false, null, Set.of());

    /**
     * This instance's view of its membership.
     *
     * @param joined whether the group has given this instance an assignment (possibly empty)
     * @param memberId member id in the group, once joined
     * @param partitions partitions currently assigned to this instance
     */
    public record State(boolean joined, String memberId, Set<TopicPartition> partitions) {}

    public State state() {
        return state;
    }

    void assigned(String memberId, Set<TopicPartition> partitions) {
        State current = state;
        Set<TopicPartition> all = new HashSet<>(current.partitions());
        all.addAll(partitions);
        state = new State(true, memberId, Set.copyOf(all));
    }

    void removed(Set<TopicPartition> partitions) {
        State current = state;
        Set<TopicPartition> remaining = new HashSet<>(current.partitions());
        remaining.removeAll(partitions);
        state = new State(current.joined(), current.memberId(), Set.copyOf(remaining));
    }
}
