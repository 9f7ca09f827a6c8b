package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/**
 * The restart rule for partitions unowned past the grace period: exactly one replica's liveness is
 * DOWN at a time, so that the kubelet restarts one pod (whose rejoin makes the group rebalance) while the
 * others keep serving; if the partition is still unowned, the turn passes to the next replica.
 * <p>
 * Every replica reads the same group description, so they agree on whose turn it is without talking to
 * each other: turns are the wall-clock intervals of one grace period ({@code [k·grace, (k+1)·grace)},
 * counted from the epoch, so that a replica that has just restarted agrees too), and turn {@code k}
 * belongs to replica {@code k mod n} of the {@code n} replicas in the group, ranked by host (the pod
 * address, which a container restart keeps) and member id. The choice is pinned when a replica first
 * sees the turn, so that a chosen replica leaving the group to restart does not pass its turn on early;
 * each turn ends one check interval before the next begins, so that two replicas whose clocks or
 * refreshes differ by less than that are never DOWN together. A group with no replica of ours in it
 * (nothing consumes) fails every replica at once.
 * <p>
 * Time comes from the caller, so the rule is tested without waiting. Used by the monitor's refresh
 * thread only.
 */
final class RestartTurns {

    private static final Comparator<Owner> RANK = Comparator.comparing(
                    Owner::host, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Owner::memberId);

    private final Duration turn;
    private final Duration handover;
    private long pinnedTurn;
    private RestartTurn pinned;

    /**
     * @param turn length of one turn: the grace period
     * @param handover quiet time between two turns: the check interval
     */
    RestartTurns(Duration turn, Duration handover) {
        this.turn = turn;
        this.handover = handover;
    }

    /**
     * @param overdue partitions unowned past the grace period
     * @param replicas the members of the group that are replicas of this service
     * @return the current turn, {@code null} when nothing is overdue
     */
    RestartTurn current(List<PartitionOwnership> overdue, List<Owner> replicas, Instant now) {
        if (overdue.isEmpty()) {
            pinned = null;
            return null;
        }
        String partitions = overdue.stream().map(PartitionOwnership::name).collect(Collectors.joining(", "));
        if (replicas.isEmpty()) {
            String reason =
                    partitions + " unowned past the grace period and no replica of this service is in the group";
            if (pinned == null || !pinned.everyReplica() || !pinned.reason().equals(reason)) {
                pinned = new RestartTurn(true, null, 0, 0, now, null, reason);
            }
            return pinned;
        }
        long index = Math.floorDiv(now.toEpochMilli(), turn.toMillis());
        if (pinned == null || pinned.everyReplica() || pinnedTurn != index) {
            List<Owner> ranked = replicas.stream().sorted(RANK).toList();
            int rank = (int) Math.floorMod(index, (long) ranked.size());
            Instant next = Instant.ofEpochMilli((index + 1) * turn.toMillis());
            pinned = new RestartTurn(
                    false,
                    ranked.get(rank),
                    rank + 1,
                    ranked.size(),
                    now,
                    next.minus(handover),
                    partitions + " unowned past the grace period; turns of " + turn
                            + " pass in rank order (host, member id)"
                            + " over the replicas in the group, the next one at " + next);
            pinnedTurn = index;
        }
        return pinned;
    }
}
