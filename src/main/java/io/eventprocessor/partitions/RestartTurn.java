package io.eventprocessor.partitions;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Whose liveness the partitions unowned past the grace period fail right now: one replica at a time,
 * or every replica when none of ours is in the group. Decided by {@link RestartTurns}.
 *
 * @param everyReplica whether every replica is DOWN: no replica of this service is in the group
 * @param chosen the replica whose turn it is ({@code null} when every replica is DOWN)
 * @param rank its rank among the replicas in the group, from 1, by host and member id
 * @param replicas how many replicas of this service the group has
 * @param from when this replica saw the turn start
 * @param until when the turn ends ({@code null} when every replica is DOWN); the next one starts one
 *        check interval later, at the next multiple of the grace period
 * @param reason why, in a sentence
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestartTurn(
        boolean everyReplica, Owner chosen, int rank, int replicas, Instant from, Instant until, String reason) {

    /** Whether this turn makes the replica with this member id DOWN at {@code now}. */
    public boolean isFor(String memberId, Instant now) {
        if (everyReplica) {
            return true;
        }
        return chosen.memberId().equals(memberId) && now.isBefore(until);
    }

    /**
     * e.g. {@code member m-2 (client kafka-consumer-events-in, host /10.0.0.7), rank 2 of 3, until …: why}, or
     * {@code between turns: …} once it has ended and the next is not chosen yet.
     */
    public String describe(Instant now) {
        if (everyReplica) {
            return "every replica: " + reason;
        }
        if (!now.isBefore(until)) {
            return "between turns since " + until + " (the last was member " + chosen.memberId() + "): " + reason;
        }
        return "member " + chosen.memberId() + " (client " + chosen.clientId() + ", host " + chosen.host() + "), rank "
                + rank + " of " + replicas + ", until " + until + ": " + reason;
    }
}
