package io.eventprocessor.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import io.eventprocessor.support.TestKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Three in-process nodes (broker and KRaft controller each) in one cluster; the service's topics with
 * replication factor 3 and {@code min.insync.replicas=2}, internal topics replicated too.
 */
public class ThreeBrokerClusterResource implements QuarkusTestResourceLifecycleManager {

    private static List<TestKafkaBroker> nodes;

    @Override
    public Map<String, String> start() {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nodes = cluster(
                3,
                baseDir,
                Map.of(
                        "auto.create.topics.enable", "false",
                        "offsets.topic.replication.factor", "3",
                        "transaction.state.log.replication.factor", "3",
                        "transaction.state.log.min.isr", "2",
                        "min.insync.replicas", "2"));
        CompletableFuture.allOf(nodes.stream()
                        .map(node -> CompletableFuture.runAsync(node::start))
                        .toArray(CompletableFuture[]::new))
                .join();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic("events", 3, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                            new NewTopic("events-processed", 3, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                            new NewTopic("events-dlq", 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create the cluster's topics", e);
        }
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    /**
     * The nodes of one cluster, each a broker and a KRaft controller (node ids 1 to {@code size}, all voters of one
     * quorum, data in {@code baseDir/node-<id>}).
     */
    private static List<TestKafkaBroker> cluster(int size, Path baseDir, Map<String, String> overrides) {
        List<int[]> ports = IntStream.rangeClosed(1, size)
                .mapToObj(id -> new int[] {id, TestKafkaBroker.freePort(), TestKafkaBroker.freePort()})
                .toList();
        String voters =
                ports.stream().map(node -> node[0] + "@localhost:" + node[2]).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        return ports.stream()
                .map(node -> TestKafkaBroker.create(
                        new TestKafkaBroker.Node(node[0], node[1], node[2], voters, clusterId),
                        baseDir.resolve("node-" + node[0]),
                        overrides))
                .toList();
    }

    /**
     * Stops every node at once and waits at most 30 s: one at a time, the last nodes would wait for a
     * controller quorum that is already gone.
     */
    @Override
    public void stop() {
        List<Thread> closing = nodes.stream()
                .map(node -> {
                    Thread thread = new Thread(node::close, "cluster-node-shutdown");
                    thread.setDaemon(true);
                    thread.start();
                    return thread;
                })
                .toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : closing) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String bootstrapServers() {
        return nodes.stream().map(TestKafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** Stops one node for good; the other two keep the quorum and the in-sync minimum. */
    static void stopNode(int index) {
        nodes.get(index).close();
    }
}
