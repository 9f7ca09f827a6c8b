package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;

/**
 * Readiness of this replica alone: UP once it has joined its consumer group (an assignment, possibly
 * empty) while its own channels are alive. A broker outage keeps it UP: the broker is shared by every
 * replica, and taking them all out of the Service would turn the {@code 503} + {@code Retry-After} that
 * {@code POST /events} answers meanwhile into refused connections. Whether the broker answers is in the
 * data ({@code brokerReachable}, {@code ownershipData}). Reads the monitor's snapshot, the rebalance
 * callbacks' state and the channels' health reports only.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "kafka-group-membership";

    private final PartitionOwnershipMonitor monitor;
    private final OwnershipFence fence;
    private final HealthCenter channels;
    private final Clock clock;

    public KafkaReadinessCheck(
            PartitionOwnershipMonitor monitor, OwnershipFence fence, HealthCenter channels, Clock clock) {
        this.clock = clock;
        this.monitor = monitor;
        this.fence = fence;
        this.channels = channels;
    }

    /** Answered on the calling (event-loop) thread: it only reads memory. */
    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(response());
    }

    HealthCheckResponse response() {
        OwnershipSnapshot snapshot = monitor.snapshot();
        OwnershipFence.Membership member = fence.membership();
        HealthReport channelHealth = channels.getLiveness();
        Instant now = clock.instant();
        Duration age = snapshot.dataAge(now);
        boolean current = snapshot.current(monitor.staleAfter(), now);
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(member.joined() && channelHealth.isOk())
                .withData("joinedGroup", member.joined())
                .withData("channelsAlive", channelHealth.isOk())
                .withData("assignedPartitions", member.partitions().size())
                .withData("brokerReachable", snapshot.brokerReachable() && current)
                .withData("ownershipData", current ? "current" : "unknown (older than " + monitor.staleAfter() + ")");
        if (member.memberId() != null) {
            response.withData("memberId", member.memberId());
        }
        if (snapshot.error() != null) {
            response.withData("error", snapshot.error());
        }
        if (age != null) {
            response.withData("dataAgeMs", age.toMillis());
        }
        return response.build();
    }
}
