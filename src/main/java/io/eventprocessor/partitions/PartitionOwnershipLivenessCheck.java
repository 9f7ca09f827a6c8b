package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/**
 * Liveness of this replica. Partitions of a consumed topic unowned in the group for longer than
 * {@code processor.partitions.unowned-grace-period} fail <em>one replica at a time</em>: the one whose
 * {@linkplain RestartTurns restart turn} it is, chosen alike by every replica from the group description;
 * when none of ours is in the group (nothing consumes), every replica. A restart can heal a member that no
 * longer takes its partitions, and its rejoin makes the group rebalance. A partition that is owned, has
 * lag and whose committed offset has not moved for {@code processor.partitions.stall-timeout} is stalled:
 * the liveness of its owner (this replica, when the owner's member id is ours) goes DOWN naming it; other
 * replicas only report it. The verdict rests on the last data the broker gave while it is
 * {@linkplain PartitionOwnershipMonitor#staleAfter() current}, so one failed or slow refresh changes
 * nothing; older data is unknown and leaves liveness UP: restarting pods does not fix a broker outage.
 * Reads the monitor's snapshot and this replica's membership only.
 */
@Liveness
@ApplicationScoped
public class PartitionOwnershipLivenessCheck implements AsyncHealthCheck {

    static final String NAME = "partition-ownership";

    private final PartitionOwnershipMonitor monitor;
    private final GroupMembership membership;
    private final Duration grace;
    private final Duration stallTimeout;
    private final Clock clock;
    private final GroupProtocolChoice protocol;

    public PartitionOwnershipLivenessCheck(PartitionOwnershipMonitor monitor, GroupMembership membership,
            ProcessorConfig config, Clock clock, GroupProtocolChoice protocol) {
        this.clock = clock;
        this.protocol = protocol;
        this.monitor = monitor;
        this.membership = membership;
        this.grace = config.partitions().unownedGracePeriod();
        this.stallTimeout = config.partitions().stallTimeout();
    }

    /** Answered on the calling (event-loop) thread: it only reads memory. */
    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(response());
    }

    HealthCheckResponse response() {
        OwnershipSnapshot snapshot = monitor.snapshot();
        Instant now = clock.instant();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        if (snapshot.dataAsOf() == null) {
            return response.withData("checked", "not yet").build();
        }
        response.withData("group", snapshot.groupId())
                .withData("groupState", snapshot.groupState())
                .withData("groupProtocol", String.valueOf(snapshot.groupProtocol()))
                .withData("protocolInUse", protocol.madeChoice().map(GroupProtocolChoice.Choice::describe).orElse("not chosen yet"))
                .withData("members", snapshot.members())
                .withData("foreignMembers", snapshot.foreignMembers().isEmpty() ? "none" : snapshot.foreignMembers().stream()
                        .map(member -> member.memberId() + " (client " + member.clientId() + ", host " + member.host() + ")")
                        .collect(Collectors.joining(", ")))
                .withData("partitions", snapshot.partitions().size())
                .withData("unowned", describe(snapshot.unowned()))
                .withData("gracePeriod", grace.toString())
                .withData("dataAgeMs", snapshot.dataAge(now).toMillis())
                .withData("brokerReachable", snapshot.brokerReachable());
        if (!snapshot.current(monitor.staleAfter(), now)) {
            return response.withData("note", "ownership unknown: no answer from the broker for longer than "
                    + monitor.staleAfter() + "; see GET /partitions").build();
        }
        String self = membership.state().memberId();
        response.withData("thisMember", String.valueOf(self));
        List<PartitionOwnership> overdue = snapshot.unownedLongerThan(grace, now);
        if (!overdue.isEmpty()) {
            response.withData("unownedPastGracePeriod", describe(overdue));
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
                .filter(partition -> partition.owner().memberId().equals(self)).toList();
        response.withData("stallTimeout", stallTimeout.toString())
                .withData("stalledHere", describeStalled(stalledHere))
                .withData("stalledElsewhere", describeStalled(stalled.stream()
                        .filter(partition -> !stalledHere.contains(partition)).toList()));
        if (!stalledHere.isEmpty()) {
            response.down();
        }
        return response.build();
    }

    /** e.g. {@code events-1 (owner m-1, client c, lag 12, committed 4711, stalled since 2026-…Z)} */
    static String describeStalled(List<PartitionOwnership> partitions) {
        if (partitions.isEmpty()) {
            return "none";
        }
        return partitions.stream()
                .map(partition -> partition.name() + " (owner " + partition.owner().memberId() + ", client "
                        + partition.owner().clientId() + ", lag " + partition.lag() + ", committed "
                        + partition.committedOffset() + ", stalled since " + partition.stuckSince() + ")")
                .collect(Collectors.joining(", "));
    }

    static String describe(List<PartitionOwnership> partitions) {
        if (partitions.isEmpty()) {
            return "none";
        }
        return partitions.stream()
                .map(partition -> partition.name() + " since " + partition.unownedSince())
                .collect(Collectors.joining(", "));
    }
}
