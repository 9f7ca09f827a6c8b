package io.eventprocessor.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;

import io.eventprocessor.support.TestKafkaBroker;

/**
 * The benchmark's broker: one KRaft node in a JVM of its own, so that its CPU and memory are not
 * the service's. Kafka's defaults, except what a single node needs (replication factor 1) and one
 * KIP-848 bound: {@code group.consumer.min.heartbeat.interval.ms=500}, so that a group may opt into
 * a heartbeat shorter than the default 5 s (the default itself stays 5 s).
 */
final class BenchmarkBroker implements AutoCloseable {

    /** Broker settings on top of {@link TestKafkaBroker}'s, restoring Kafka's defaults it changes. */
    static final Map<String, String> SETTINGS = stockSettings();

    private final ChildJvm jvm;
    private final String bootstrapServers;

    private BenchmarkBroker(ChildJvm jvm, String bootstrapServers) {
        this.jvm = jvm;
        this.bootstrapServers = bootstrapServers;
    }

    static BenchmarkBroker start(int port, Path dataDir) {
        List<String> arguments = new ArrayList<>(
                List.of(String.valueOf(port), dataDir.toAbsolutePath().toString()));
        SETTINGS.forEach((key, value) -> arguments.add(key + "=" + value));
        ChildJvm jvm = ChildJvm.start("broker", BenchmarkBroker.class, List.of("-Xmx1g"), arguments);
        String bootstrap = "localhost:" + port;
        Awaitility.await("benchmark broker up")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    if (!jvm.isAlive()) {
                        throw new IllegalStateException("the broker JVM exited: see target/benchmark/broker.log");
                    }
                    try (Admin admin = Admin.create(Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            2000,
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            2000))) {
                        return !admin.describeCluster().nodes().get().isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
        return new BenchmarkBroker(jvm, bootstrap);
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    long pid() {
        return jvm.pid();
    }

    @Override
    public void close() throws InterruptedException {
        jvm.close();
    }

    /** Runs the broker: {@code <port> <data dir> [key=value ...]}; stops on SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            overrides.put(pair[0], pair[1]);
        }
        TestKafkaBroker broker = TestKafkaBroker.create(Integer.parseInt(args[0]), Path.of(args[1]), overrides)
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }));
        System.out.println("benchmark broker listening on " + broker.bootstrapServers());
        stopped.await();
    }

    private static Map<String, String> stockSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("group.consumer.session.timeout.ms", "45000");
        settings.put("group.consumer.min.session.timeout.ms", "45000");
        settings.put("group.consumer.heartbeat.interval.ms", "5000");
        settings.put("group.consumer.min.heartbeat.interval.ms", "500");
        settings.put("group.initial.rebalance.delay.ms", "3000");
        settings.put("num.network.threads", "3");
        settings.put("num.io.threads", "8");
        settings.put("offsets.topic.num.partitions", "50");
        return settings;
    }
}
