package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/**
 * The rules by which one {@link OwnershipSnapshot} makes a replica's liveness DOWN, with the data that says why.
 * Partitions unowned for longer than the grace period fail the replica whose {@linkplain RestartTurn restart turn}
 * it is (every replica when none of ours is in the group); a stalled partition fails its owner only. Data older than
 * {@code staleAfter} is unknown and fails nobody. Pure: no Kafka, no clock, no CDI.
 *
 * @param gracePeriod how long a partition may stay unowned ({@code processor.partitions.unowned-grace-period})
 * @param stallTimeout how long an owned partition with lag may keep its committed offset
 *        ({@code processor.partitions.stall-timeout})
 * @param staleAfter how old the data may be and still count ({@link PartitionOwnershipMonitor#staleAfter()})
 */
record OwnershipLivenessRules(Duration gracePeriod, Duration stallTimeout, Duration staleAfter) {

    /**
     * The verdict for one replica.
     *
     * @param snapshot the monitor's latest snapshot
     * @param self this replica's member id in the group, {@code null} before it joined
     * @param protocolInUse the group protocol this replica chose, in words
     * @param now the time to judge at
     */
    HealthCheckResponse judge(OwnershipSnapshot snapshot, String self, String protocolInUse, Instant now) {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named(PartitionOwnershipLivenessCheck.NAME).up();
        if (snapshot.dataAsOf() == null) {
            return response.withData("checked", "not yet").build();
        }
        response.withData("group", snapshot.groupId())
                .withData("groupState", snapshot.groupState())
                .withData("groupProtocol", String.valueOf(snapshot.groupProtocol()))
                .withData("protocolInUse", protocolInUse)
                .withData("members", snapshot.members())
                .withData(
                        "foreignMembers",
                        snapshot.foreignMembers().isEmpty()
                                ? "none"
                                : snapshot.foreignMembers().stream()
                                        .map(member -> member.memberId() + " (client " + member.clientId() + ", host "
                                                + member.host() + ")")
                                        .collect(Collectors.joining(", ")))
                .withData("partitions", snapshot.partitions().size())
                .withData("unowned", describeUnowned(snapshot.unowned()))
                .withData("gracePeriod", gracePeriod.toString())
                .withData("dataAgeMs", snapshot.dataAge(now).toMillis())
                .withData("brokerReachable", snapshot.brokerReachable());
        if (!snapshot.current(staleAfter, now)) {
            return response.withData(
                            "note",
                            "ownership unknown: no answer from the broker for longer than " + staleAfter
                                    + "; see GET /partitions")
                    .build();
        }
        response.withData("thisMember", String.valueOf(self));
        List<PartitionOwnership> overdue = snapshot.unownedLongerThan(gracePeriod, now);
        if (!overdue.isEmpty()) {
            response.withData("unownedPastGracePeriod", describeUnowned(overdue));
        }
        // Unowned partitions fail one replica at a time (every replica when none of ours is in the group).
        RestartTurn turn = snapshot.restartTurn();
        if (turn != null) {
            response.withData("restartTurn", turn.describe(now));
            if (turn.isFor(self, now)) {
                response.down();
            }
        }
        // A stalled partition fails the liveness of its owner only: restarting that replica can heal it.
        List<PartitionOwnership> stalled = snapshot.stalledLongerThan(stallTimeout, now);
        List<PartitionOwnership> stalledHere = stalled.stream()
                .filter(partition -> partition.owner().memberId().equals(self))
                .toList();
        response.withData("stallTimeout", stallTimeout.toString())
                .withData("stalledHere", describeStalled(stalledHere))
                .withData(
                        "stalledElsewhere",
                        describeStalled(stalled.stream()
                                .filter(partition -> !stalledHere.contains(partition))
                                .toList()));
        if (!stalledHere.isEmpty()) {
            response.down();
        }
        return response.build();
    }

    /** e.g. {@code events-1 (owner m-1, client c, lag 12, committed 4711, stalled since 2026-…Z)} */
    private static String describeStalled(List<PartitionOwnership> partitions) {
        if (partitions.isEmpty()) {
            return "none";
        }
        return partitions.stream()
                .map(partition ->
                        partition.name() + " (owner " + partition.owner().memberId() + ", client "
                                + partition.owner().clientId() + ", lag " + partition.lag() + ", committed "
                                + partition.committedOffset() + ", stalled since " + partition.stuckSince() + ")")
                .collect(Collectors.joining(", "));
    }

    /** e.g. {@code events-3 since 2026-…Z} */
    private static String describeUnowned(List<PartitionOwnership> partitions) {
        if (partitions.isEmpty()) {
            return "none";
        }
        return partitions.stream()
                .map(partition -> partition.name() + " since " + partition.unownedSince())
                .collect(Collectors.joining(", "));
    }
}
