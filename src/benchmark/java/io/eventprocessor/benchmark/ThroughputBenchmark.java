package io.eventprocessor.benchmark;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * Throughput: {@code benchmark.records} events of 200 bytes preloaded on a 6-partition topic, consumed,
 * transformed and produced to an output topic, by the service (packaged jar) and by {@link RawPipeline},
 * each from a fresh group, in alternating order over {@code benchmark.rounds} rounds. The rate is taken
 * from the output topic's end offsets: records divided by the time from the first to the last output
 * record (start-up excluded for both). After each run the group must have committed every input record
 * and the output must hold exactly as many records (at least once, no duplicates on a clean run).
 * Each round also runs the service with {@code processor.delivery=exactly-once}: its run is complete when the
 * group has committed every input record (outputs and offsets commit together, so that is when the last output
 * is visible to {@code read_committed} readers; the output's end offsets also count transaction markers).
 * The service's resident memory is sampled during its runs. Then one more service run has its health
 * endpoints (and {@code /partitions} as a control) probed, and the same probes for 5 s once it is over
 * (the service warm and idle): kept out of the ratio rounds, so the probes' own load does not count.
 */
final class ThroughputBenchmark {

    static final int RECORDS = Integer.getInteger("benchmark.records", 1_000_000);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final int PARTITIONS = 6;
    private static final int RECORD_BYTES = 200;
    private static final String INPUT = "throughput-in";

    private record Outcome(double recordsPerSecond, double peakRssMib) {}

    private final String bootstrapServers;
    private final ResultTable table;
    private static final List<String> PROBED =
            List.of(HealthProbeSampler.LIVE, HealthProbeSampler.READY, HealthProbeSampler.CONTROL);
    private final Map<String, List<Double>> underLoad = new HashMap<>();
    private final Map<String, List<Double>> idle = new HashMap<>();
    private int probeFailures;

    ThroughputBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    void run() throws Exception {
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            admin.createTopic(INPUT, PARTITIONS);
            preload(admin);
            List<Outcome> service = new ArrayList<>();
            List<Outcome> raw = new ArrayList<>();
            List<Outcome> exactlyOnce = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Double> exactlyOnceRatios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                Outcome rawOutcome = null;
                Outcome serviceOutcome = null;
                Outcome exactlyOnceOutcome = null;
                // the order turns each round, so that no run always comes first on a cold page cache
                for (int turn = 0; turn < 3; turn++) {
                    switch ((round + turn) % 3) {
                        case 0 -> rawOutcome = runRaw(admin, round);
                        case 1 -> serviceOutcome = runService(admin, "service-" + round, false, false);
                        default -> exactlyOnceOutcome = runService(admin, "service-eos-" + round, false, true);
                    }
                }
                raw.add(rawOutcome);
                service.add(serviceOutcome);
                exactlyOnce.add(exactlyOnceOutcome);
                ratios.add(serviceOutcome.recordsPerSecond() / rawOutcome.recordsPerSecond());
                exactlyOnceRatios.add(exactlyOnceOutcome.recordsPerSecond() / serviceOutcome.recordsPerSecond());
                System.out.printf(
                        "=== benchmark: throughput round %d: service %.0f/s, exactly-once %.0f/s, raw %.0f/s, "
                                + "ratio %.2f, exactly-once / at-least-once %.2f%n",
                        round,
                        serviceOutcome.recordsPerSecond(),
                        exactlyOnceOutcome.recordsPerSecond(),
                        rawOutcome.recordsPerSecond(),
                        ratios.get(ratios.size() - 1),
                        exactlyOnceRatios.get(exactlyOnceRatios.size() - 1));
            }
            // One more service run, probed: the probes' own load stays out of the ratios above.
            runService(admin, "service-probed", true, false);
            report(service, raw, ratios);
            reportExactlyOnce(exactlyOnce, exactlyOnceRatios);
        }
    }

    private void preload(BrokerAdmin admin) {
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = BulkProducer.open(bootstrapServers)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(INPUT, EventValues.event("t", i, RECORD_BYTES)));
            }
            producer.flush();
        }
        long stored = admin.records(INPUT);
        if (stored != RECORDS) {
            throw new IllegalStateException("preloaded " + stored + " records instead of " + RECORDS);
        }
        System.out.printf(
                "=== benchmark: preloaded %,d records of %d bytes on %d partitions in %.1f s%n",
                RECORDS, RECORD_BYTES, PARTITIONS, (System.nanoTime() - start) / 1e9);
    }

    private Outcome runRaw(BrokerAdmin admin, int round) throws Exception {
        String output = "throughput-raw-" + round;
        String group = "throughput-raw-" + round;
        admin.createTopic(output, PARTITIONS);
        try (ChildJvm raw = ChildJvm.start(
                        "raw-pipeline-" + round,
                        RawPipeline.class,
                        ServiceProcess.JVM_OPTIONS,
                        List.of(bootstrapServers, INPUT, output, group, "consumer"));
                ResidentMemory memory = ResidentMemory.watch(raw.pid())) {
            double rate = measure(admin, output, group, false);
            return new Outcome(rate, memory.peakMib());
        }
    }

    /**
     * @param probed whether to probe the health endpoints (and the control) during the run, and for 5 s
     *        once it is over, the service then warm and idle
     */
    private Outcome runService(BrokerAdmin admin, String name, boolean probed, boolean exactlyOnce) throws Exception {
        String output = "throughput-" + name;
        String group = "throughput-" + name;
        admin.createTopic(output, PARTITIONS);
        Map<String, String> settings = new HashMap<>(BenchmarkIT.serviceEnvironment());
        settings.put("PROCESSOR_TOPICS_PROCESSED", output);
        if (exactlyOnce) {
            settings.put("PROCESSOR_DELIVERY", "exactly-once");
        }
        Map<String, String> environment = IsolatedPipeline.processEnvironment(INPUT, group, settings);
        try (ServiceProcess service = ServiceProcess.launch(output, bootstrapServers, environment);
                ResidentMemory memory = ResidentMemory.watch(service.pid())) {
            service.awaitReady(Duration.ofSeconds(60));
            double rate;
            if (probed) {
                HealthProbeSampler probes = new HealthProbeSampler(output, service.managementPort());
                try {
                    rate = measure(admin, output, group, false);
                } finally {
                    probes.close();
                }
                collect(probes, underLoad);
                HealthProbeSampler idleProbes = new HealthProbeSampler(output + "-idle", service.managementPort());
                try {
                    Thread.sleep(5_000);
                } finally {
                    idleProbes.close();
                }
                collect(idleProbes, idle);
            } else {
                rate = measure(admin, output, group, exactlyOnce);
            }
            Outcome outcome = new Outcome(rate, memory.peakMib());
            service.terminate(Duration.ofSeconds(30));
            return outcome;
        }
    }

    private void collect(HealthProbeSampler probes, Map<String, List<Double>> into) throws IOException {
        for (String path : PROBED) {
            into.computeIfAbsent(path, p -> new ArrayList<>()).addAll(probes.millis(path));
        }
        probeFailures += probes.notOk();
    }

    /**
     * Records per second from the first to the last output record; then checks commits and counts.
     *
     * @param committedOutput whether outputs count once their input is committed (exactly-once: outputs and offsets
     *        commit together), rather than once on the output topic
     */
    private double measure(BrokerAdmin admin, String output, String group, boolean committedOutput) {
        Awaitility.await(output + " starts")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> admin.records(output) > 0);
        long firstSeen = System.nanoTime();
        long startCount = committedOutput ? admin.committed(group, INPUT) : admin.records(output);
        Awaitility.await(output + " complete")
                .atMost(Duration.ofSeconds(600))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> (committedOutput ? admin.committed(group, INPUT) : admin.records(output)) >= RECORDS);
        double seconds = (System.nanoTime() - firstSeen) / 1e9;
        double rate = (RECORDS - startCount) / seconds;
        if (committedOutput) {
            return rate;
        }
        try {
            Awaitility.await(group + " commits everything")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.committed(group, INPUT) >= RECORDS);
        } catch (ConditionTimeoutException e) {
            table.problem(
                    group + " committed only " + admin.committed(group, INPUT) + " of " + RECORDS + " input records");
        }
        long produced = admin.records(output);
        if (produced != RECORDS) {
            table.note(group + " wrote " + produced + " records for " + RECORDS + " inputs");
        }
        return rate;
    }

    private void reportExactlyOnce(List<Outcome> exactlyOnce, List<Double> ratios) {
        Figures rate =
                Figures.of(exactlyOnce.stream().map(Outcome::recordsPerSecond).toList());
        Figures ratio = Figures.of(ratios);
        String load = String.format("%,d x %d B, %d partitions", RECORDS, RECORD_BYTES, PARTITIONS);
        table.add(new ResultTable.Row(
                "throughput",
                "service, processor.delivery=exactly-once, " + load,
                "records/s",
                exactlyOnce.size(),
                ResultTable.format(rate.median(), 0),
                ResultTable.format(rate.max(), 0),
                "",
                ""));
        table.add(new ResultTable.Row(
                "throughput",
                "exactly-once / at-least-once service, same round",
                "ratio (median, worst round)",
                ratios.size(),
                ResultTable.format(ratio.median(), 2),
                ResultTable.format(ratio.min(), 2),
                ">= 0.80",
                ratio.median() >= 0.8 ? "met" : "missed"));
    }

    private void report(List<Outcome> service, List<Outcome> raw, List<Double> ratios) {
        Figures serviceRate =
                Figures.of(service.stream().map(Outcome::recordsPerSecond).toList());
        Figures rawRate = Figures.of(raw.stream().map(Outcome::recordsPerSecond).toList());
        Figures ratio = Figures.of(ratios);
        String load = String.format("%,d x %d B, %d partitions", RECORDS, RECORD_BYTES, PARTITIONS);
        table.add(new ResultTable.Row(
                "throughput",
                "service (packaged jar), " + load,
                "records/s",
                service.size(),
                ResultTable.format(serviceRate.median(), 0),
                ResultTable.format(serviceRate.max(), 0),
                "",
                ""));
        table.add(new ResultTable.Row(
                "throughput",
                "plain KafkaConsumer -> KafkaProducer loop, " + load,
                "records/s",
                raw.size(),
                ResultTable.format(rawRate.median(), 0),
                ResultTable.format(rawRate.max(), 0),
                "",
                ""));
        table.add(new ResultTable.Row(
                "throughput",
                "service / plain loop, same round",
                "ratio (median, worst round)",
                ratios.size(),
                ResultTable.format(ratio.median(), 2),
                ResultTable.format(ratio.min(), 2),
                ">= 0.90",
                ratio.median() >= 0.9 ? "met" : "missed"));
        for (String path : PROBED) {
            boolean check = !path.equals(HealthProbeSampler.CONTROL);
            String label = "GET " + path + (check ? "" : " (control: no health check)");
            // measured in a separate, probed throughput run of the service
            Figures loaded = Figures.of(underLoad.getOrDefault(path, List.of()));
            table.add(ResultTable.latencyRow(
                    "health",
                    label + ", during a throughput run",
                    loaded,
                    check ? "p99 <= 20" : "",
                    check ? (loaded.percentile(99) <= 20 ? "met" : "missed") : ""));
        }
        for (String path : PROBED) {
            Figures quiet = Figures.of(idle.getOrDefault(path, List.of()));
            table.add(ResultTable.latencyRow(
                    "health", "GET " + path + ", service idle after that run (warm)", quiet, "", ""));
        }
        if (probeFailures > 0) {
            table.note(probeFailures + " health probes did not answer 200 during the throughput runs");
        }
        Figures serviceRss =
                Figures.of(service.stream().map(Outcome::peakRssMib).toList());
        Figures rawRss = Figures.of(raw.stream().map(Outcome::peakRssMib).toList());
        table.add(new ResultTable.Row(
                "memory",
                "service peak RSS during a throughput run (" + String.join(" ", ServiceProcess.JVM_OPTIONS) + ")",
                "MiB",
                service.size(),
                ResultTable.format(serviceRss.median(), 0),
                ResultTable.format(serviceRss.max(), 0),
                "",
                ""));
        table.add(new ResultTable.Row(
                "memory",
                "plain loop peak RSS during a throughput run (same JVM options)",
                "MiB",
                raw.size(),
                ResultTable.format(rawRss.median(), 0),
                ResultTable.format(rawRss.max(), 0),
                "",
                ""));
    }
}
