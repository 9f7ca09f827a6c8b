package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Gauges on the {@link OwnershipSnapshot}, per consumed topic and group: partitions, owned, unowned
 * (the gauge the alert uses), unowned past the grace period, stalled, the group's lag, and the age of the data. Like the health
 * checks they only read the snapshot.
 */
@ApplicationScoped
public class OwnershipMetrics {

    private final PartitionOwnershipMonitor monitor;
    private final MeterRegistry registry;
    private final ProcessorConfig config;
    private final Clock clock;

    public OwnershipMetrics(
            PartitionOwnershipMonitor monitor, MeterRegistry registry, ProcessorConfig config, Clock clock) {
        this.clock = clock;
        this.monitor = monitor;
        this.registry = registry;
        this.config = config;
    }

    void register(@Observes StartupEvent event) {
        String topic = config.topics().events();
        Duration grace = config.partitions().unownedGracePeriod();
        gauge(
                "event_processor.partitions",
                "Partitions of the consumed topic",
                topic,
                snapshot -> snapshot.partitions().stream()
                        .filter(p -> p.topic().equals(topic))
                        .count());
        gauge(
                "event_processor.partitions.owned",
                "Partitions with an owner in the consumer group",
                topic,
                snapshot -> snapshot.partitions().stream()
                        .filter(p -> p.topic().equals(topic) && p.owner() != null)
                        .count());
        gauge(
                "event_processor.partitions.unowned",
                "Partitions without an owner in the consumer group",
                topic,
                snapshot -> snapshot.unowned().stream()
                        .filter(p -> p.topic().equals(topic))
                        .count());
        gauge(
                "event_processor.partitions.unowned.past.grace",
                "Partitions without an owner for longer than the grace period",
                topic,
                snapshot -> snapshot.unownedLongerThan(grace, clock.instant()).stream()
                        .filter(p -> p.topic().equals(topic))
                        .count());
        Duration stallTimeout = config.partitions().stallTimeout();
        gauge(
                "event_processor.partitions.stalled",
                "Owned partitions with lag whose committed offset has not moved for " + "the stall timeout",
                topic,
                snapshot -> snapshot.stalledLongerThan(stallTimeout, clock.instant()).stream()
                        .filter(p -> p.topic().equals(topic))
                        .count());
        gauge(
                "event_processor.lag",
                "Records of the consumed topic not yet committed by the group, all partitions together",
                topic,
                snapshot -> snapshot.partitions().stream()
                        .filter(p -> p.topic().equals(topic) && p.lag() != null)
                        .mapToLong(OwnershipSnapshot.PartitionOwnership::lag)
                        .sum());
        Gauge.builder(
                        "event_processor.group.foreign.members",
                        monitor,
                        m -> m.snapshot().foreignMembers().size())
                .description("Members of the consumer group that are not replicas of this service")
                .tag("group", monitor.snapshot().groupId())
                .register(registry);
        Gauge.builder("event_processor.ownership.data.age.seconds", monitor, m -> {
                    Duration age = m.snapshot().dataAge(clock.instant());
                    return age == null ? Double.NaN : age.toMillis() / 1000.0;
                })
                .description("Age of the partition ownership data")
                .register(registry);
    }

    private void gauge(String name, String description, String topic, ToDoubleFunction<OwnershipSnapshot> value) {
        Gauge.builder(name, monitor, m -> value.applyAsDouble(m.snapshot()))
                .description(description)
                .tag("topic", topic)
                .tag("group", monitor.snapshot().groupId())
                .register(registry);
    }
}
