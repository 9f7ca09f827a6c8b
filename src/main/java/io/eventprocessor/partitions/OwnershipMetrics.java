package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;

/**
 * Gauges on the {@link OwnershipSnapshot}, per consumed topic and group: partitions, owned, unowned
 * (the gauge the alert uses), unowned past the grace period, stalled, the group's lag, and the age of the data. Like the
 * health checks they only read the snapshot. A topic's gauges exist from start-up for a listed topic, from the first
 * refresh that shows it for a topic matching the pattern, and go with the topic.
 */
@ApplicationScoped
public class OwnershipMetrics {

    private final PartitionOwnershipMonitor monitor;
    private final ConsumedTopics consumed;
    private final MeterRegistry registry;
    private final ProcessorConfig config;
    private final Clock clock;
    private final Map<MultiGauge, BiFunction<OwnershipSnapshot, String, Double>> perTopic = new LinkedHashMap<>();
    private Set<String> topicsShown = Set.of();

    public OwnershipMetrics(
            PartitionOwnershipMonitor monitor,
            ConsumedTopics consumed,
            MeterRegistry registry,
            ProcessorConfig config,
            Clock clock) {
        this.consumed = consumed;
        this.clock = clock;
        this.monitor = monitor;
        this.registry = registry;
        this.config = config;
    }

    void register(@Observes StartupEvent event) {
        Duration grace = config.partitions().unownedGracePeriod();
        Duration stallTimeout = config.partitions().stallTimeout();
        perTopic(
                "event_processor.partitions",
                "Partitions of a consumed topic",
                (snapshot, topic) -> count(snapshot.partitions(), topic));
        perTopic(
                "event_processor.partitions.owned",
                "Partitions with an owner in the consumer group",
                (snapshot, topic) -> count(
                        snapshot.partitions().stream()
                                .filter(p -> p.owner() != null)
                                .toList(),
                        topic));
        perTopic(
                "event_processor.partitions.unowned",
                "Partitions without an owner in the consumer group",
                (snapshot, topic) -> count(snapshot.unowned(), topic));
        perTopic(
                "event_processor.partitions.unowned.past.grace",
                "Partitions without an owner for longer than the grace period",
                (snapshot, topic) -> count(snapshot.unownedLongerThan(grace, clock.instant()), topic));
        perTopic(
                "event_processor.partitions.stalled",
                "Owned partitions with lag whose committed offset has not moved for the stall timeout",
                (snapshot, topic) -> count(snapshot.stalledLongerThan(stallTimeout, clock.instant()), topic));
        perTopic(
                "event_processor.lag",
                "Records of a consumed topic not yet committed by the group, all partitions together",
                (snapshot, topic) -> (double) snapshot.partitions().stream()
                        .filter(p -> p.topic().equals(topic) && p.lag() != null)
                        .mapToLong(PartitionOwnership::lag)
                        .sum());
        showTopics(monitor.snapshot());
        monitor.onRefresh(this::showTopics);
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

    private void perTopic(String name, String description, BiFunction<OwnershipSnapshot, String, Double> value) {
        perTopic.put(
                MultiGauge.builder(name)
                        .description(description)
                        .tag("group", monitor.snapshot().groupId())
                        .register(registry),
                value);
    }

    /** One row per topic: the listed consumed topics and every topic the snapshot shows. */
    private synchronized void showTopics(OwnershipSnapshot snapshot) {
        Set<String> topics = new TreeSet<>(consumed.listed());
        snapshot.partitions().forEach(partition -> topics.add(partition.topic()));
        if (topics.equals(topicsShown)) {
            return;
        }
        perTopic.forEach((gauge, value) -> gauge.register(
                topics.stream()
                        .<MultiGauge.Row<?>>map(topic -> MultiGauge.Row.of(
                                Tags.of("topic", topic), monitor, m -> value.apply(m.snapshot(), topic)))
                        .toList(),
                true));
        topicsShown = topics;
    }

    private static double count(List<PartitionOwnership> partitions, String topic) {
        return partitions.stream().filter(p -> p.topic().equals(topic)).count();
    }
}
