package io.eventprocessor.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The benchmark ({@code ./mvnw verify -Pbenchmark}): new-partition
 * pickup per protocol and assignor, throughput against a plain client loop, health-check latency under
 * that load, ingest against a plain producer, start-up and memory, the cost of the ownership checks as
 * the group grows (1,000 partitions, 30 members), and dev mode's first event and live reloads. Everything runs on this machine: a
 * broker in its own JVM ({@link BenchmarkBroker}), the packaged jar as processes, the load from here.
 * Prints a table and writes {@code target/benchmark/results.md} and {@code results.csv}. Speed targets
 * are reported, not asserted; the run fails only on a correctness problem (records lost with the
 * project's settings, input not committed). {@code -Dbenchmark.sections=pickup,topics,throughput,ingest,startup,ownership,latency,growth,devmode}
 * picks sections. Not part of {@code ./mvnw verify}.
 */
class BenchmarkIT {

    static final Path OUTPUT = Path.of("target", "benchmark");

    @Test
    void benchmark() throws Exception {
        List<String> sections = Arrays.asList(System.getProperty(
                        "benchmark.sections",
                        "pickup,topics,throughput,ingest,startup,ownership,latency,growth,devmode")
                .split(","));
        ResultTable table = new ResultTable();
        long start = System.nanoTime();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(OUTPUT), "kafka-");
        try (BenchmarkBroker broker = BenchmarkBroker.start(freePort(), dataDir)) {
            String bootstrap = broker.bootstrapServers();
            table.note(
                    "broker: one KRaft node in its own JVM (-Xmx1g), Kafka's defaults except replication factor 1 and "
                            + "group.consumer.min.heartbeat.interval.ms=500 (default heartbeat stays 5 s)");
            PickupBenchmark pickup = new PickupBenchmark(bootstrap, table);
            CompletableFuture<Void> baseline = CompletableFuture.completedFuture(null);
            if (sections.contains("pickup")) {
                // The 5-minute baseline mostly waits: it runs beside the other sections, at 100 records/s.
                baseline = CompletableFuture.runAsync(
                        () -> run(() -> pickup.run(PickupBenchmark.KAFKA_DEFAULTS)),
                        Executors.newSingleThreadExecutor());
                for (PickupBenchmark.Case pickupCase : PickupBenchmark.PROJECT_SETTINGS) {
                    pickup.run(pickupCase);
                }
            }
            if (sections.contains("topics")) {
                for (PickupBenchmark.Case pickupCase : PickupBenchmark.NEW_TOPICS) {
                    pickup.run(pickupCase);
                }
            }
            if (sections.contains("ingest")) {
                new IngestBenchmark(bootstrap, table).run();
            }
            if (sections.contains("startup")) {
                new StartupBenchmark(bootstrap, table).run();
            }
            if (sections.contains("ownership")) {
                new OwnershipCostBenchmark(bootstrap, table).run();
            }
            if (sections.contains("latency")) {
                new DeliveryLatencyBenchmark(bootstrap, table).run();
            }
            if (sections.contains("growth")) {
                new GrowthOrderBenchmark(bootstrap, table).run();
            }
            if (sections.contains("devmode")) {
                new DevModeBenchmark(table).run();
            }
            // Throughput last, once the baseline is done: nothing else runs beside it.
            baseline.get(10, TimeUnit.MINUTES);
            if (sections.contains("throughput")) {
                new ThroughputBenchmark(bootstrap, table).run();
            }
        } finally {
            deleteRecursively(dataDir); // about 1 GB of records
        }
        table.note(String.format(Locale.ROOT, "whole benchmark: %.1f min", (System.nanoTime() - start) / 60e9));
        table.publish(machine(), OUTPUT);
        assertThat(table.problems()).as("correctness problems").isEmpty();
    }

    /**
     * Extra settings for the service processes of the throughput run, to try a change without a rebuild:
     * {@code -Dbenchmark.service-environment=NAME=value,NAME=value} (environment variable names).
     */
    static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new HashMap<>();
        for (String pair :
                System.getProperty("benchmark.service-environment", "").split(",")) {
            if (pair.contains("=")) {
                environment.put(
                        pair.substring(0, pair.indexOf('=')).trim(),
                        pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        return environment;
    }

    @FunctionalInterface
    private interface Section {
        void run() throws Exception;
    }

    private static void run(Section section) {
        try {
            section.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        String memory = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .orElse(cpu);
            memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(line -> line.startsWith("MemTotal"))
                    .findFirst()
                    .map(line -> String.format(
                            Locale.ROOT,
                            ", %.0f GiB RAM",
                            Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .orElse("");
        } catch (IOException | RuntimeException e) {
            // not Linux: keep what we have
        }
        return String.format(
                Locale.ROOT,
                "%s, %d cores%s, %s %s, Java %s, Kafka %s, %s",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memory,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                AppInfoParser.getVersion(),
                LocalDate.now());
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
