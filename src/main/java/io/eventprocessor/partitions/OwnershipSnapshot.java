package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One immutable view of who owns which partition of the consumed topics: the single source of truth
 * for the health checks and {@code GET /partitions}. Taken in the background by
 * {@link PartitionOwnershipMonitor}; reading it never calls Kafka.
 *
 * @param refreshedAt when the last refresh attempt ended
 * @param brokerReachable whether that attempt got every answer from the broker in time
 * @param error why it did not, if it did not
 * @param dataAsOf when the group and partition data below were read (the last successful refresh)
 * @param groupId the consumer group checked
 * @param groupState its state (e.g. {@code Stable}, {@code Empty}, {@code Dead})
 * @param groupProtocol {@code consumer} (KIP-848) or {@code classic}
 * @param members how many members the group has
 * @param partitions every partition of every consumed topic, in topic and partition order
 * @param foreignMembers members of the group that are not replicas of this service (another client id,
 *        e.g. a console consumer started by hand): their partitions count as owned, and a restart of ours
 *        cannot heal them
 * @param restartTurn whose liveness the partitions unowned past the grace period fail, {@code null} when none is
 * @param missingTopics consumed topics named in {@code processor.topics.consume} that do not exist: not created yet
 *        (their partitions are taken once they are), or deleted (no partition of theirs is checked, and no restart
 *        asked for)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OwnershipSnapshot(
        Instant refreshedAt,
        boolean brokerReachable,
        String error,
        Instant dataAsOf,
        String groupId,
        String groupState,
        String groupProtocol,
        int members,
        List<PartitionOwnership> partitions,
        List<Owner> foreignMembers,
        RestartTurn restartTurn,
        List<String> missingTopics) {

    /** Before the first refresh. */
    static OwnershipSnapshot none(String groupId) {
        return new OwnershipSnapshot(
                null, false, "not checked yet", null, groupId, null, null, 0, List.of(), List.of(), null, List.of());
    }

    /** This snapshot after a failed refresh: the last good data stays, marked as old. */
    OwnershipSnapshot failed(Instant at, String why) {
        return new OwnershipSnapshot(
                at,
                false,
                why,
                dataAsOf,
                groupId,
                groupState,
                groupProtocol,
                members,
                partitions,
                foreignMembers,
                restartTurn,
                missingTopics);
    }

    /** This snapshot with the restart turn decided on its data. */
    OwnershipSnapshot withRestartTurn(RestartTurn turn) {
        return new OwnershipSnapshot(
                refreshedAt,
                brokerReachable,
                error,
                dataAsOf,
                groupId,
                groupState,
                groupProtocol,
                members,
                partitions,
                foreignMembers,
                turn,
                missingTopics);
    }

    /** Partitions without an owner. */
    @JsonIgnore
    public List<PartitionOwnership> unowned() {
        return partitions.stream()
                .filter(partition -> partition.owner() == null)
                .toList();
    }

    /** Partitions without an owner for longer than the grace period. */
    public List<PartitionOwnership> unownedLongerThan(Duration grace, Instant now) {
        return unowned().stream()
                .filter(partition -> partition.unownedSince().plus(grace).isBefore(now))
                .toList();
    }

    /**
     * Partitions that are stalled: owned, with lag, and their committed offset unchanged for longer than
     * {@code stallTimeout}. An idle partition (no lag) is never stalled.
     */
    public List<PartitionOwnership> stalledLongerThan(Duration stallTimeout, Instant now) {
        return partitions.stream()
                .filter(partition -> partition.stuckSince() != null
                        && partition.stuckSince().plus(stallTimeout).isBefore(now))
                .toList();
    }

    /**
     * Whether the data is recent enough to judge ownership by: read within {@code staleAfter}, whatever
     * the last refresh attempt did. One failed or slow refresh changes nothing; data older than that is
     * unknown.
     */
    public boolean current(Duration staleAfter, Instant now) {
        return dataAsOf != null && Duration.between(dataAsOf, now).compareTo(staleAfter) <= 0;
    }

    /** Age of the data, or {@code null} before the first successful refresh. */
    public Duration dataAge(Instant now) {
        return dataAsOf == null ? null : Duration.between(dataAsOf, now);
    }

    /**
     * One partition and its owner.
     *
     * @param topic topic
     * @param partition partition number
     * @param owner the member it is assigned to, {@code null} when none
     * @param unownedSince since when it has had no owner, {@code null} when owned
     * @param committedOffset the group's committed offset, {@code null} when none
     * @param endOffset the partition's end offset
     * @param lag records not yet committed by the group ({@code endOffset - committedOffset}), when both are known
     * @param stuckSince since when it has had lag while its owner and committed offset stayed the same,
     *        {@code null} when it has no lag or no owner
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionOwnership(
            String topic,
            int partition,
            Owner owner,
            Instant unownedSince,
            Long committedOffset,
            Long endOffset,
            Long lag,
            Instant stuckSince) {

        /** {@code topic-partition}, as Kafka writes it. */
        public String name() {
            return topic + "-" + partition;
        }
    }
}
