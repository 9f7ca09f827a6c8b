package io.eventprocessor.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * New-partition pickup: a service process consumes a topic of its own; each run waits a random 0-5 s
 * (so that runs sample every phase of the heartbeat or refresh period), adds a partition, writes an
 * event into it every 10 ms from the moment it was requested, and measures the seconds
 * from the request to the first processed record from the new partition (its {@code processedAt}),
 * and how many of the events written into it never came out (lost). New-topic pickup: the service consumes a pattern
 * ({@code processor.topics.consume-pattern}) under {@code auto.offset.reset=latest}, and each run creates a topic of one
 * partition that matches it instead.
 */
final class PickupBenchmark {

    /**
     * One way of running the service.
     *
     * @param id short name, used for topics, group and log file
     * @param label what the table calls it
     * @param environment the service's settings
     * @param groupConfig dynamic group configs set on the broker before the service starts
     * @param runs partitions added, one per run
     * @param bound how long to wait for the pickup before giving up on a run
     * @param targeted whether the pickup targets apply (Kafka's defaults are the baseline)
     * @param newTopics whether each run creates a topic matching the consumed pattern instead of adding a partition
     */
    record Case(
            String id,
            String label,
            Map<String, String> environment,
            Map<String, String> groupConfig,
            int runs,
            Duration bound,
            boolean targeted,
            boolean newTopics) {}

    private static final int RUNS = Integer.getInteger("benchmark.pickup.runs", 5);
    private static final Duration TARGET_MEDIAN = Duration.ofSeconds(2);
    private static final Duration TARGET_MAX = Duration.ofSeconds(5);

    /** The service's own settings, for each group protocol and assignor. */
    static final List<Case> PROJECT_SETTINGS = List.of(
            new Case(
                    "consumer-uniform",
                    "consumer protocol, uniform (default), broker heartbeat 5 s (Kafka default)",
                    Map.of(),
                    Map.of(),
                    RUNS,
                    Duration.ofSeconds(60),
                    true,
                    false),
            new Case(
                    "consumer-uniform-hb1s",
                    "consumer protocol, uniform, group heartbeat 1 s",
                    Map.of(),
                    Map.of("consumer.heartbeat.interval.ms", "1000"),
                    RUNS,
                    Duration.ofSeconds(60),
                    true,
                    false),
            new Case(
                    "consumer-range",
                    "consumer protocol, range, broker heartbeat 5 s",
                    Map.of("PROCESSOR_PARTITIONS_ASSIGNOR", "range"),
                    Map.of(),
                    RUNS,
                    Duration.ofSeconds(60),
                    true,
                    false),
            classic("range"),
            classic("roundrobin"),
            classic("sticky"),
            classic("cooperative-sticky"));

    /** Kafka's defaults: 5-minute metadata refresh, latest offset, no start policy; one capped run. */
    static final Case KAFKA_DEFAULTS = new Case(
            "classic-kafka-defaults",
            "classic, Kafka defaults (metadata.max.age 5 min, latest, no start policy)",
            Map.of(
                    "PROCESSOR_PARTITIONS_GROUP_PROTOCOL",
                    "classic",
                    "PROCESSOR_PARTITIONS_ASSIGNOR",
                    "range",
                    "PROCESSOR_PARTITIONS_METADATA_MAX_AGE",
                    "5m",
                    "PROCESSOR_PARTITIONS_NEW_PARTITIONS_FROM_EARLIEST",
                    "false",
                    "MP_MESSAGING_INCOMING_EVENTS_IN_AUTO_OFFSET_RESET",
                    "latest"),
            Map.of(),
            1,
            Duration.ofSeconds(Integer.getInteger("benchmark.pickup.baseline-cap", 330)),
            false,
            false);

    /** A topic that starts matching the consumed pattern, under {@code latest}: each protocol's default assignor. */
    static final List<Case> NEW_TOPICS = List.of(
            newTopic("consumer", "consumer protocol, uniform, broker heartbeat 5 s"),
            newTopic("classic", "classic protocol, cooperative-sticky, metadata refresh 1 s"));

    private final String bootstrapServers;
    private final ResultTable table;

    PickupBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    private static Case classic(String assignor) {
        return new Case(
                "classic-" + assignor,
                "classic protocol, " + assignor + ", metadata refresh 1 s",
                Map.of("PROCESSOR_PARTITIONS_GROUP_PROTOCOL", "classic", "PROCESSOR_PARTITIONS_ASSIGNOR", assignor),
                Map.of(),
                RUNS,
                Duration.ofSeconds(60),
                true,
                false);
    }

    private static Case newTopic(String protocol, String label) {
        return new Case(
                "topic-" + protocol,
                "new topic matching the pattern, " + label,
                Map.of(
                        "PROCESSOR_PARTITIONS_GROUP_PROTOCOL",
                        protocol,
                        "PROCESSOR_TOPICS_CONSUME_PATTERN",
                        "pickup-topic-" + protocol + "-[0-9]+",
                        "MP_MESSAGING_INCOMING_EVENTS_IN_AUTO_OFFSET_RESET",
                        "latest"),
                Map.of(),
                RUNS,
                Duration.ofSeconds(60),
                true,
                true);
    }

    void run(Case pickupCase) throws Exception {
        String topic = "pickup-" + pickupCase.id();
        String processed = topic + "-processed";
        String group = "group-" + pickupCase.id();
        List<Double> pickupSeconds = new ArrayList<>();
        List<Double> lost = new ArrayList<>();
        int missed = 0;
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            admin.createTopic(topic, 1);
            admin.createTopic(processed, 1);
            pickupCase.groupConfig().forEach((name, value) -> admin.setGroupConfig(group, name, value));
            Map<String, String> environment =
                    IsolatedPipeline.processEnvironment(topic, group, pickupCase.environment());
            if (pickupCase.newTopics()) {
                admin.createTopic(topic + "-0", 1);
            }
            try (ServiceProcess service = ServiceProcess.start(topic, bootstrapServers, environment);
                    ProcessedWatcher watcher = ProcessedWatcher.start(bootstrapServers, processed);
                    PacedWriter writer = new PacedWriter(bootstrapServers)) {
                // The group reads a first partition before the first run (with "latest", earlier records are skipped).
                String warmUpTopic = pickupCase.newTopics() ? topic + "-0" : topic;
                writer.start(warmUpTopic, 0, pickupCase.id() + "-warm-up");
                if (watcher.awaitFirst(warmUpTopic + "-0", Duration.ofSeconds(90))
                        .isEmpty()) {
                    throw new IllegalStateException(pickupCase.id() + ": the group never consumed " + warmUpTopic);
                }
                writer.stop();
                for (int run = 1; run <= pickupCase.runs(); run++) {
                    // A random pause, so that the runs do not fall into step with the heartbeat or refresh period.
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5_000));
                    Instant requested = Instant.now();
                    String newTopic = pickupCase.newTopics() ? topic + "-" + run : topic;
                    int newPartition = pickupCase.newTopics() ? 0 : run;
                    if (pickupCase.newTopics()) {
                        admin.createTopic(newTopic, 1);
                    } else {
                        admin.growTopic(topic, run + 1);
                    }
                    String source = newTopic + "-" + newPartition;
                    writer.start(newTopic, newPartition, pickupCase.id() + "-" + source);
                    Optional<Instant> first = watcher.awaitFirst(source, pickupCase.bound());
                    if (first.isPresent()) {
                        Thread.sleep(1_000); // keep writing a little after the pickup
                    }
                    List<String> written = writer.stop();
                    if (first.isEmpty()) {
                        missed++;
                        lost.add((double) written.size());
                        table.note(pickupCase.label() + ": " + source + " not picked up within "
                                + pickupCase.bound().toSeconds() + " s");
                        continue;
                    }
                    pickupSeconds.add(Duration.between(requested, first.get()).toMillis() / 1000.0);
                    watcher.awaitId(source, written.get(written.size() - 1), Duration.ofSeconds(30));
                    Set<String> missing = new HashSet<>(written);
                    missing.removeAll(watcher.idsFrom(source));
                    lost.add((double) missing.size());
                    System.out.printf(
                            "=== benchmark: pickup %s %s: %.2f s, %d of %d lost%n",
                            pickupCase.id(),
                            source,
                            pickupSeconds.get(pickupSeconds.size() - 1),
                            missing.size(),
                            written.size());
                }
            }
        }
        report(pickupCase, pickupSeconds, lost, missed);
    }

    private void report(Case pickupCase, List<Double> pickupSeconds, List<Double> lost, int missed) {
        Figures seconds = Figures.of(pickupSeconds);
        Figures lostRecords = Figures.of(lost);
        String maxSeconds = missed > 0 ? "> " + pickupCase.bound().toSeconds() : ResultTable.format(seconds.max(), 2);
        boolean met = missed == 0
                && seconds.median() <= TARGET_MEDIAN.toMillis() / 1000.0
                && seconds.max() <= TARGET_MAX.toMillis() / 1000.0;
        table.add(new ResultTable.Row(
                "pickup",
                pickupCase.label(),
                pickupCase.newTopics()
                        ? "s from topic creation to first processed record"
                        : "s from partition creation to first processed record",
                pickupCase.runs(),
                missed == pickupCase.runs()
                        ? "> " + pickupCase.bound().toSeconds()
                        : ResultTable.format(seconds.median(), 2),
                maxSeconds,
                pickupCase.targeted() ? "median <= 2, max <= 5" : "",
                verdict(pickupCase, met)));
        boolean nothingLost = lostRecords.sum() == 0;
        table.add(new ResultTable.Row(
                "pickup",
                pickupCase.label(),
                pickupCase.newTopics()
                        ? "records lost per new topic (written every 10 ms)"
                        : "records lost per new partition (written every 10 ms)",
                pickupCase.runs(),
                ResultTable.format(lostRecords.median(), 0),
                ResultTable.format(lostRecords.max(), 0),
                pickupCase.targeted() ? "0" : "",
                verdict(pickupCase, nothingLost)));
        if (pickupCase.targeted() && !nothingLost) {
            table.problem(pickupCase.label() + " lost " + (long) lostRecords.sum() + " records");
        }
    }

    private static String verdict(Case pickupCase, boolean met) {
        return pickupCase.targeted() ? (met ? "met" : "missed") : "";
    }
}
