package io.eventprocessor.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.jboss.logging.Logger;

import io.eventprocessor.devkafka.InProcessKafkaBroker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A Kafka node (combined broker and KRaft controller) inside the test JVM: alone, or one of a cluster's quorum
 * ({@link Node}), with broker properties of the test's own (more listeners for TLS, topic creation off). Dev mode's
 * broker ({@code devkafka.InProcessKafkaBroker}) is the single-node case of the same set-up, kept apart so that
 * production code carries no test API.
 */
public final class TestKafkaBroker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TestKafkaBroker.class);

    private final Node node;
    private final Path dataDir;
    private final Map<String, String> overrides;
    private KafkaRaftServer server;

    /**
     * A node's identity and its place in a KRaft quorum.
     *
     * @param id {@code node.id}
     * @param port client (PLAINTEXT) port
     * @param controllerPort port of the CONTROLLER listener
     * @param voters {@code controller.quorum.voters}, e.g. {@code 1@localhost:9093}
     * @param clusterId the cluster's id, written when the log directory is formatted
     */
    public record Node(int id, int port, int controllerPort, String voters, String clusterId) {

        /** Node 1, the only voter of its own quorum, on the given client port and a free controller port. */
        public static Node alone(int port) {
            int controllerPort = freePort();
            return new Node(
                    1,
                    port,
                    controllerPort,
                    "1@localhost:" + controllerPort,
                    Uuid.randomUuid().toString());
        }
    }

    private TestKafkaBroker(Node node, Path dataDir, Map<String, String> overrides) {
        this.node = node;
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Prepares a broker; nothing runs until {@link #start()}.
     *
     * @param port client port, 0 for a free one
     * @param dataDir log directory; formatted on first use, reused (with its data) afterwards
     * @param overrides broker properties that win over the defaults chosen here
     */
    public static TestKafkaBroker create(int port, Path dataDir, Map<String, String> overrides) {
        return create(Node.alone(port == 0 ? freePort() : port), dataDir, overrides);
    }

    /**
     * Prepares a node of a quorum, e.g. one of a cluster's (start them concurrently: a node waits for a quorum of
     * its peers); nothing runs until {@link #start()}.
     *
     * @param overrides broker properties that win over the defaults chosen here, e.g. more listeners
     */
    public static TestKafkaBroker create(Node node, Path dataDir, Map<String, String> overrides) {
        return new TestKafkaBroker(node, dataDir, overrides);
    }

    /** Formats the log directory if it is new, then starts the broker and waits until it serves clients. */
    public synchronized TestKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long begin = System.nanoTime();
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
        formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
        LOG.infof(
                "In-process Kafka broker started in %d ms on %s (data in %s)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), bootstrapServers(), dataDir);
        return this;
    }

    /** Host and port clients connect to, e.g. {@code localhost:9092}. */
    public String bootstrapServers() {
        return "localhost:" + node.port();
    }

    public int port() {
        return node.port();
    }

    /**
     * Creates the topics that do not exist yet; existing topics keep their partitions.
     *
     * @param partitionsByTopic partition count for each topic
     */
    public void ensureTopics(Map<String, Integer> partitionsByTopic) {
        ensureTopics(bootstrapServers(), partitionsByTopic);
    }

    /** Same as {@link #ensureTopics(Map)} against any broker, e.g. one that was already running. */
    public static void ensureTopics(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = partitionsByTopic.entrySet().stream()
                    .filter(topic -> !existing.contains(topic.getKey()))
                    .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), (short) 1))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.infof("Created topics %s", describe(missing));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Could not create topics " + partitionsByTopic.keySet() + " on " + bootstrapServers, e);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.infof("In-process Kafka broker on %s stopped", bootstrapServers());
        }
    }

    /** Whether something accepts TCP connections on the address (resolved here if it is not yet). */
    public static boolean isListening(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.getHostString(), address.getPort()), 500);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Properties brokerProperties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(node.id()));
        props.put("controller.quorum.voters", node.voters());
        props.put(
                "listeners",
                "PLAINTEXT://localhost:" + node.port() + ",CONTROLLER://localhost:" + node.controllerPort());
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + node.port());
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.putAll(InProcessKafkaBroker.smallMachineSettings());
        props.putAll(overrides);
        return props;
    }

    private void formatIfNew() {
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(dataDir.resolve("meta.properties"))) {
                return;
            }
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node.id())
                    .setClusterId(node.clusterId())
                    .setDirectories(List.of(dataDir.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(dataDir.toAbsolutePath().toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName("CONTROLLER")
                    .run();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka data directory " + dataDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dataDir, e);
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not become ready", e);
        }
    }

    private static String describe(Collection<NewTopic> topics) {
        return topics.stream()
                .map(topic -> topic.name() + " (" + topic.numPartitions() + " partitions)")
                .collect(Collectors.joining(", "));
    }

    /** A port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }
}
