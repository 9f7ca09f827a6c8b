package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness: DOWN while the broker cannot be reached (the last ownership refresh failed, or the data
 * is older than three check intervals) and until this instance has joined its consumer group. Reads
 * the monitor's snapshot and the rebalance callbacks' state only.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "kafka-group-membership";

    private final PartitionOwnershipMonitor monitor;
    private final GroupMembership membership;
    private final Duration maxDataAge;
    private final Clock clock = Clock.systemUTC();

    public KafkaReadinessCheck(PartitionOwnershipMonitor monitor, GroupMembership membership, ProcessorConfig config) {
        this.monitor = monitor;
        this.membership = membership;
        this.maxDataAge = config.partitions().checkInterval().multipliedBy(3).plus(config.partitions().checkTimeout());
    }

    /** Answered on the calling (event-loop) thread: it only reads memory. */
    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().item(response());
    }

    HealthCheckResponse response() {
        OwnershipSnapshot snapshot = monitor.snapshot();
        GroupMembership.State member = membership.state();
        Instant now = clock.instant();
        Duration age = snapshot.dataAge(now);
        boolean brokerOk = snapshot.brokerReachable() && age != null && age.compareTo(maxDataAge) <= 0;
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                .status(brokerOk && member.joined())
                .withData("brokerReachable", brokerOk)
                .withData("joinedGroup", member.joined())
                .withData("assignedPartitions", member.partitions().size());
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
