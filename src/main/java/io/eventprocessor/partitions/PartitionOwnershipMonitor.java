package io.eventprocessor.partitions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.AdminClients;
import io.eventprocessor.kafka.ChannelAttributes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Refreshes the {@link OwnershipSnapshot} in the background every {@code processor.partitions.check-interval}:
 * the partitions of the consumed topics that exist now on the broker ({@code describeTopics}; for a pattern, of the
 * topics {@code listTopics} shows matching it), the partitions assigned to
 * every member of the group, in any instance ({@code describeConsumerGroups}), the group's committed
 * offsets and the end offsets; lag counts only records a reader can see ({@link TransactionMarkerProbe}). Every
 * broker call is bounded by {@code processor.partitions.check-timeout}.
 * Works the same for both group protocols.
 */
@ApplicationScoped
public class PartitionOwnershipMonitor {

    /** The client id the connector gives the {@code events-in} consumer of every replica. */
    static final String OUR_CLIENT_ID = "kafka-consumer-events-in";

    private final ProcessorConfig config;
    private final Map<String, Object> adminConfig;
    private final String groupId;
    private final ConsumedTopics topics;
    private final Clock clock;
    private final OwnershipTracker tracker;
    private final PartitionPickup pickup;
    private final MeterRegistry registry;
    private final Timer refreshes;
    private final AtomicReference<OwnershipSnapshot> snapshot;
    private final List<Consumer<OwnershipSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;
    private Admin admin;
    private TransactionMarkerProbe markerProbe;
    private final KeyOrderGate keyOrder;
    private final boolean ownGroup;
    private GrowthWatch growthWatch;
    private Map<TopicPartition, OffsetAndMetadata> commits = Map.of();
    private String growthWatchFailure;

    public PartitionOwnershipMonitor(
            ProcessorConfig config,
            AdminClients adminClients,
            ConsumedTopics topics,
            @ConfigProperty(name = ChannelAttributes.EVENTS_IN_GROUP_ID) String channelGroupId,
            @ConfigProperty(name = ChannelAttributes.EVENTS_IN_CLIENT_ID, defaultValue = OUR_CLIENT_ID) String clientId,
            Clock clock,
            PartitionPickup pickup,
            ProcessingProgress progress,
            KeyOrderGate keyOrder,
            MeterRegistry registry) {
        this.keyOrder = keyOrder;
        this.clock = clock;
        this.pickup = pickup;
        this.registry = registry;
        this.refreshes = Timer.builder("event_processor.ownership.refresh")
                .description("Time one ownership refresh takes: four Admin calls, answered or failed")
                .register(registry);
        this.config = config;
        this.adminConfig = adminClients.settings("event-processor-ownership-monitor");
        this.groupId = config.partitions().monitoredGroup().orElse(channelGroupId);
        this.ownGroup = groupId.equals(channelGroupId);
        this.topics = topics;
        this.snapshot = new AtomicReference<>(OwnershipSnapshot.none(groupId));
        this.tracker = new OwnershipTracker(
                groupId,
                clientId,
                config.partitions().unownedGracePeriod(),
                config.partitions().checkInterval(),
                progress);
    }

    /** Calls {@code listener} with every snapshot taken after this call, on the refresh thread. */
    public void onRefresh(Consumer<OwnershipSnapshot> listener) {
        listeners.add(listener);
    }

    /** The latest snapshot; never blocks. */
    public OwnershipSnapshot snapshot() {
        return snapshot.get();
    }

    /**
     * How old the ownership data may be and still count: three check intervals and a timeout, so that one
     * or two failed or slow refreshes change nothing; older data is unknown.
     */
    public Duration staleAfter() {
        return config.partitions()
                .checkInterval()
                .multipliedBy(3)
                .plus(config.partitions().checkTimeout());
    }

    void start(@Observes StartupEvent event) {
        admin = Admin.create(adminConfig);
        if (keyOrder.enabled() && ownGroup) {
            growthWatch = new GrowthWatch(
                    keyOrder,
                    adminConfig,
                    config.keyOrder().growthTopic(),
                    clock,
                    config.partitions().checkTimeout());
        } else if (keyOrder.enabled()) {
            Log.warnf(
                    "Key order through growth is off: processor.partitions.monitored-group (%s) is not this service's "
                            + "group, whose commits it reads",
                    groupId);
            keyOrder.histories(Map.of(), clock.instant());
        }
        markerProbe = new TransactionMarkerProbe(
                new KafkaConsumer<>(probeConfig(adminConfig)),
                config.partitions().checkTimeout());
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "partition-ownership-monitor");
            thread.setDaemon(true);
            return thread;
        });
        adminCounter(
                "event_processor.ownership.admin.requests", "request-total", "Requests the ownership monitor sent");
        adminCounter(
                "event_processor.ownership.admin.received.bytes",
                "incoming-byte-total",
                "Bytes the ownership monitor received from the brokers");
        scheduler.scheduleWithFixedDelay(
                this::refreshSafely, 0, config.partitions().checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        Log.infof(
                "Checking partition ownership of %s in group %s every %s (grace period %s)",
                topics,
                groupId,
                config.partitions().checkInterval(),
                config.partitions().unownedGracePeriod());
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            awaitRefreshEnd();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (markerProbe != null) {
            markerProbe.close();
        }
        if (growthWatch != null) {
            growthWatch.close();
        }
    }

    /** The probe's consumer is the refresh thread's alone: it is closed once that thread is done (interrupted above). */
    private void awaitRefreshEnd() {
        try {
            if (!scheduler.awaitTermination(
                    config.partitions().checkTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                Log.debug("The ownership refresh did not end in time; closing its clients anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A counter on one of the admin client's own totals ({@code admin-client-metrics} group). */
    private void adminCounter(String name, String kafkaMetric, String description) {
        FunctionCounter.builder(
                        name,
                        admin,
                        client -> client.metrics().entrySet().stream()
                                .filter(entry -> entry.getKey().group().equals("admin-client-metrics")
                                        && entry.getKey().name().equals(kafkaMetric))
                                .mapToDouble(entry -> entry.getValue().metricValue() instanceof Number number
                                        ? number.doubleValue()
                                        : 0)
                                .sum())
                .description(description)
                .register(registry);
    }

    private void refreshSafely() {
        Timer.Sample timing = Timer.start();
        try {
            snapshot.set(refresh());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String why =
                    cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            OwnershipSnapshot previous = snapshot.get();
            if (previous.brokerReachable()) {
                Log.warnf("Partition ownership check failed, broker unreachable: %s", why);
            }
            snapshot.set(previous.failed(clock.instant(), why));
        } finally {
            timing.stop(refreshes);
        }
        OwnershipSnapshot taken = snapshot.get();
        for (Consumer<OwnershipSnapshot> listener : listeners) {
            try {
                listener.accept(taken);
            } catch (RuntimeException e) {
                Log.warnf(e, "A listener of ownership refreshes failed");
            }
        }
    }

    private OwnershipSnapshot refresh() throws InterruptedException, ExecutionException, TimeoutException {
        ClusterAnswers answers = askCluster();
        OwnershipSnapshot taken = tracker.next(answers, clock.instant());
        pickup.observe(taken.partitions(), taken.dataAsOf());
        watchGrowth(answers);
        return taken;
    }

    private void watchGrowth(ClusterAnswers answers) throws InterruptedException {
        if (growthWatch == null) {
            return;
        }
        try {
            growthWatch.observe(
                    admin,
                    config.keyOrder().growthTopic(),
                    answers.partitions(),
                    commits,
                    answers.ends(),
                    config.partitions().checkTimeout());
            growthWatchFailure = null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (growthWatchFailure == null) {
                Log.warnf(
                        "Could not read or record the consumed topics' growth in %s (processor.key-order.growth-topic): "
                                + "keys moved by a growth wait until it can; %s",
                        config.keyOrder().growthTopic(), cause.toString());
            }
            growthWatchFailure = cause.toString();
        }
    }

    /** The four Admin calls of a refresh (and the marker probe where committed offsets stood still). */
    private ClusterAnswers askCluster() throws InterruptedException, ExecutionException, TimeoutException {
        long timeoutMs = config.partitions().checkTimeout().toMillis();
        List<String> names = topics.pattern().isPresent()
                ? topics.among(admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS))
                : topics.listed();
        List<TopicDescription> described = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic :
                admin.describeTopics(names).topicNameValues().entrySet()) {
            try {
                described.add(topic.getValue().get(timeoutMs, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                if (topics.pattern().isEmpty()) {
                    missing.add(topic.getKey());
                }
            }
        }
        List<TopicPartition> existing = described.stream()
                .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
        ConsumerGroupDescription group = describeGroup(timeoutMs);
        Map<Owner, Set<TopicPartition>> assignments = new LinkedHashMap<>();
        if (group != null) {
            for (MemberDescription member : group.members()) {
                assignments.put(
                        new Owner(member.consumerId(), member.clientId(), member.host()),
                        member.assignment().topicPartitions());
            }
        }
        Map<TopicPartition, Long> committed = new HashMap<>();
        commits = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        commits.forEach((partition, offset) -> {
            if (offset != null) {
                committed.put(partition, offset.offset());
            }
        });
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        existing.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest)
                .all()
                .get(timeoutMs, TimeUnit.MILLISECONDS)
                .forEach((partition, end) -> ends.put(partition, end.offset()));
        Map<TopicPartition, long[]> offsets = new HashMap<>();
        for (TopicPartition tp : existing) {
            if (committed.containsKey(tp) && ends.containsKey(tp)) {
                offsets.put(tp, new long[] {committed.get(tp), ends.get(tp)});
            }
        }
        return new ClusterAnswers(
                existing,
                group == null ? null : String.valueOf(group.groupState()),
                group == null ? null : String.valueOf(group.type()).toLowerCase(),
                assignments,
                committed,
                ends,
                markerProbe.readableLag(offsets),
                missing.stream().sorted().toList(),
                DoneOffsets.heldIn(commits));
    }

    private ConsumerGroupDescription describeGroup(long timeoutMs)
            throws InterruptedException, ExecutionException, TimeoutException {
        KafkaFuture<ConsumerGroupDescription> future =
                admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId);
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The settings of the {@link TransactionMarkerProbe}'s consumer: the admin client's connection and timeouts, as a
     * {@code read_committed} reader of no group that fetches little (it only needs to know whether one record is there).
     */
    static Map<String, Object> probeConfig(Map<String, Object> adminConfig) {
        Map<String, Object> probe = AdminClients.onlyKnown(adminConfig, ConsumerConfig.configNames());
        probe.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-processor-marker-probe");
        probe.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        probe.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        probe.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        probe.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        probe.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        probe.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        probe.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return probe;
    }
}
