package io.eventprocessor.partitions;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.GroupProtocolChoice;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

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
 * The rules are {@link OwnershipLivenessRules}; this check reads the monitor's snapshot and this replica's
 * membership only.
 */
@Liveness
@ApplicationScoped
public class PartitionOwnershipLivenessCheck implements AsyncHealthCheck {

    static final String NAME = "partition-ownership";

    private final PartitionOwnershipMonitor monitor;
    private final OwnershipFence fence;
    private final OwnershipLivenessRules rules;
    private final Clock clock;
    private final GroupProtocolChoice protocol;

    public PartitionOwnershipLivenessCheck(
            PartitionOwnershipMonitor monitor,
            OwnershipFence fence,
            ProcessorConfig config,
            Clock clock,
            GroupProtocolChoice protocol) {
        this.monitor = monitor;
        this.fence = fence;
        this.clock = clock;
        this.protocol = protocol;
        this.rules = new OwnershipLivenessRules(
                config.partitions().unownedGracePeriod(), config.partitions().stallTimeout(), monitor.staleAfter());
    }

    /** Answered on the calling (event-loop) thread: it only reads memory. */
    @Override
    public Uni<HealthCheckResponse> call() {
        String protocolInUse =
                protocol.madeChoice().map(GroupProtocolChoice.Choice::describe).orElse("not chosen yet");
        return Uni.createFrom()
                .item(rules.judge(monitor.snapshot(), fence.membership().memberId(), protocolInUse, clock.instant()));
    }
}
