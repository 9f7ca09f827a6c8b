package io.eventprocessor.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;

/**
 * A stock Apache Kafka broker of a given release in its own JVM, from the jars the build fetched into
 * {@code target/brokers/<version>/} ({@code src/test/brokers/pom.xml}): one KRaft node (broker and
 * controller), storage formatted with the release's own {@code StorageTool}, Kafka's defaults except a
 * replication factor of 1 for the internal topics. Its output goes to {@code target/broker-<version>-<n>.log}, beside its data directory.
 */
public final class ExternalBroker implements AutoCloseable {

    private final String version;
    private final int port;
    private final Path properties;
    private final Process process;

    private ExternalBroker(String version, int port, Path properties, Process process) {
        this.version = version;
        this.port = port;
        this.properties = properties;
        this.process = process;
    }

    /** Whether the build fetched this release. */
    public static boolean fetched(String version) {
        return Files.isDirectory(libraries(version));
    }

    /** Formats fresh storage and starts the broker; returns once it answers an Admin call. */
    public static ExternalBroker start(String version) throws IOException, InterruptedException {
        if (!fetched(version)) {
            throw new IllegalStateException("Kafka " + version + " was not fetched into " + libraries(version)
                    + ": run the build with -Pcompat");
        }
        int port = ServiceProcess.freePort();
        int controllerPort = ServiceProcess.freePort();
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "broker-" + version + "-");
        Path properties = dataDir.resolve("server.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@localhost:" + controllerPort,
                        "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://localhost:" + port,
                        "controller.listener.names=CONTROLLER",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + dataDir.resolve("logs").toAbsolutePath(),
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "auto.create.topics.enable=false",
                        // A replica the tests kill is fenced after 10 s instead of 45 s (consumer protocol; a classic
                        // member chooses its own session.timeout.ms).
                        "group.consumer.min.session.timeout.ms=6000",
                        "group.consumer.session.timeout.ms=10000",
                        ""));
        Path log = Path.of("target", dataDir.getFileName() + ".log");
        Process format = new ProcessBuilder(List.of(
                        ServiceProcess.javaExecutable(),
                        "-cp",
                        classPath(version),
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("Kafka " + version + ": formatting the storage failed, see " + log);
        }
        return run(version, port, properties);
    }

    /**
     * Stops this broker and starts release {@code newVersion} on the same port and data: an in-place
     * upgrade, which keeps the finalized features (the cluster's metadata.version and group.version) as
     * they were until an operator upgrades them.
     */
    public ExternalBroker upgradeTo(String newVersion) throws IOException, InterruptedException {
        close();
        return run(newVersion, port, properties);
    }

    private static ExternalBroker run(String version, int port, Path properties) throws IOException {
        Path log = Path.of("target", properties.getParent().getFileName() + ".log");
        Process broker = new ProcessBuilder(List.of(
                        ServiceProcess.javaExecutable(),
                        "-Xmx512m",
                        "-cp",
                        classPath(version),
                        "kafka.Kafka",
                        properties.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ExternalBroker started = new ExternalBroker(version, port, properties, broker);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, started.bootstrapServers()))) {
            Awaitility.await("Kafka " + version + " up")
                    .atMost(Duration.ofSeconds(90))
                    .ignoreExceptions()
                    .until(() -> !admin.describeCluster()
                                    .nodes()
                                    .get(5, TimeUnit.SECONDS)
                                    .isEmpty()
                            && broker.isAlive());
        } catch (RuntimeException e) {
            try {
                started.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        return started;
    }

    public String version() {
        return version;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path libraries(String version) {
        return Path.of("target", "brokers", version);
    }

    private static String classPath(String version) {
        return libraries(version).toAbsolutePath() + "/*";
    }
}
