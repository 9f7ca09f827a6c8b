package io.eventprocessor.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.awaitility.Awaitility;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * What the ownership checks cost as the group grows: one service watches a group of {@code members}
 * consumers (in a helper JVM, {@link GroupMembers}) on a topic of {@code partitions} partitions, and the
 * benchmark reads, over a measured window, the time one refresh takes, the Admin requests and bytes one
 * refresh costs (the admin client's own counters), the latency of the liveness probe, and the size of
 * {@code GET /partitions}. Every replica runs its own monitor, so a fleet sends replicas times as much.
 */
final class OwnershipCostBenchmark {

    /** A group size to measure. */
    record Case(int partitions, int members) {
        String id() {
            return partitions + "p-" + members + "m";
        }

        String label() {
            return partitions + " partitions, " + members + " member" + (members == 1 ? "" : "s");
        }
    }

    static final List<Case> CASES = List.of(new Case(6, 1), new Case(1_000, 30));
    /** Refresh interval of the measured service: 1 s, for many samples; the defaults' 5 s scale from it. */
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(40);

    private final String bootstrapServers;
    private final ResultTable table;

    OwnershipCostBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    void run() throws Exception {
        for (Case cost : CASES) {
            run(cost);
        }
        table.note("ownership cost: one refresh = describeTopics, describeConsumerGroups, listConsumerGroupOffsets and "
                + "listOffsets, every processor.partitions.check-interval (default 5 s) on every replica; requests per "
                + "second scale with replicas / check-interval, bytes also with partitions and members");
    }

    private void run(Case cost) throws Exception {
        String topic = "cost-" + cost.id();
        String group = "cost-members-" + cost.id();
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            admin.createTopic(topic, cost.partitions());
            admin.createTopic(topic + "-processed", 1);
        }
        try (ChildJvm members = ChildJvm.start(
                "cost-members-" + cost.id(),
                GroupMembers.class,
                List.of("-Xmx512m"),
                List.of(bootstrapServers, topic, group, String.valueOf(cost.members())))) {
            awaitEveryPartitionAssigned(group, cost);
            Map<String, String> environment = IsolatedPipeline.processEnvironment(
                    topic,
                    "cost-service-" + cost.id(),
                    Map.of(
                            "PROCESSOR_PARTITIONS_MONITORED_GROUP",
                            group,
                            "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                            CHECK_INTERVAL.toMillis() + "ms"));
            try (ServiceProcess service = ServiceProcess.start("cost-" + cost.id(), bootstrapServers, environment)) {
                Awaitility.await(cost.label() + " in the snapshot")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> service.get("/partitions").contains("\"members\":" + cost.members() + ","));
                Map<String, Double> before = scrape(service);
                HealthProbeSampler probes = new HealthProbeSampler("cost-" + cost.id(), service.managementPort());
                Thread.sleep(WINDOW.toMillis()); // the measured window
                double partitionsBytes = service.get("/partitions").getBytes(StandardCharsets.UTF_8).length;
                probes.close();
                List<Double> probeMillis = probes.millis(HealthProbeSampler.LIVE);
                Map<String, Double> after = scrape(service);
                double refreshes = delta(before, after, "event_processor_ownership_refresh_seconds_count");
                double refreshMs =
                        delta(before, after, "event_processor_ownership_refresh_seconds_sum") * 1000 / refreshes;
                double requests = delta(before, after, "event_processor_ownership_admin_requests_total") / refreshes;
                double bytes = delta(before, after, "event_processor_ownership_admin_received_bytes_total") / refreshes;
                double perSecondDefault = requests / DEFAULT_CHECK_INTERVAL.toSeconds();
                table.add(new ResultTable.Row(
                        "ownership cost",
                        cost.label(),
                        "ms per refresh (mean; max in max column)",
                        (int) refreshes,
                        ResultTable.format(refreshMs, 1),
                        ResultTable.format(
                                after.getOrDefault("event_processor_ownership_refresh_seconds_max", Double.NaN) * 1000,
                                1),
                        "",
                        ""));
                table.add(new ResultTable.Row(
                        "ownership cost",
                        cost.label(),
                        "Admin requests / KiB received per refresh",
                        (int) refreshes,
                        ResultTable.format(requests, 1) + " / " + ResultTable.format(bytes / 1024, 1),
                        "",
                        "",
                        ""));
                table.add(new ResultTable.Row(
                        "ownership cost",
                        cost.label(),
                        "Admin requests/s at the default 5 s: 1 replica / 30 replicas",
                        (int) refreshes,
                        ResultTable.format(perSecondDefault, 1) + " / " + ResultTable.format(perSecondDefault * 30, 1),
                        "",
                        "",
                        ""));
                table.add(ResultTable.latencyRow(
                        "ownership cost", cost.label() + ", GET /q/health/live", Figures.of(probeMillis), "", ""));
                table.add(new ResultTable.Row(
                        "ownership cost",
                        cost.label(),
                        "KiB of GET /partitions",
                        1,
                        ResultTable.format(partitionsBytes / 1024, 1),
                        "",
                        "",
                        ""));
            }
        }
    }

    private void awaitEveryPartitionAssigned(String group, Case cost) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Awaitility.await(cost.label() + " assigned")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> {
                        ConsumerGroupDescription description = describe(admin, group);
                        int assigned = description.members().stream()
                                .mapToInt(member ->
                                        member.assignment().topicPartitions().size())
                                .sum();
                        return description.members().size() == cost.members() && assigned == cost.partitions();
                    });
        }
    }

    private static ConsumerGroupDescription describe(Admin admin, String group)
            throws InterruptedException, ExecutionException, TimeoutException {
        return admin.describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get(10, TimeUnit.SECONDS);
    }

    /** The samples without labels or with only the application's labels, by name. */
    private static Map<String, Double> scrape(ServiceProcess service) throws IOException, InterruptedException {
        Map<String, Double> samples = new HashMap<>();
        Arrays.stream(service.get("/q/metrics").split("\n"))
                .filter(line -> line.startsWith("event_processor_ownership_"))
                .forEach(line -> {
                    String name = line.contains("{")
                            ? line.substring(0, line.indexOf('{'))
                            : line.substring(0, line.indexOf(' '));
                    samples.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                });
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name) {
        if (!after.containsKey(name)) {
            throw new IllegalStateException("no sample " + name + " on /q/metrics: " + after.keySet());
        }
        return after.get(name) - before.getOrDefault(name, 0.0);
    }
}
