package io.eventprocessor.devkafka;

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

import io.quarkus.logging.Log;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * Dev mode's Kafka broker: one node (combined broker and KRaft controller) inside this JVM, started by
 * {@link DevKafkaStarter}. It compiles against the {@code provided}-scope {@code kafka_2.13} jar, so it exists only
 * where that jar is on the class path: never in the packaged or native application.
 */
public final class InProcessKafkaBroker implements AutoCloseable {

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private KafkaRaftServer server;

    private InProcessKafkaBroker(int port, Path dataDir) {
        this.port = port;
        this.controllerPort = freePort();
        this.dataDir = dataDir;
    }

    /**
     * Prepares a broker; nothing runs until {@link #start()}.
     *
     * @param port client port, 0 for a free one
     * @param dataDir log directory; formatted on first use, reused (with its data) afterwards
     */
    public static InProcessKafkaBroker create(int port, Path dataDir) {
        return new InProcessKafkaBroker(port == 0 ? freePort() : port, dataDir);
    }

    /** Formats the log directory if it is new, then starts the broker and waits until it serves clients. */
    public synchronized InProcessKafkaBroker start() {
        if (server != null) {
            return this;
        }
        long begin = System.nanoTime();
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
        formatIfNew();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady();
        Log.infof(
                "In-process Kafka broker started in %d ms on %s (data in %s)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), bootstrapServers(), dataDir);
        return this;
    }

    /** Host and port clients connect to, e.g. {@code localhost:9092}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
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
                Log.infof("Created topics %s", describe(missing));
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
            Log.infof("In-process Kafka broker on %s stopped", bootstrapServers());
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
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.toAbsolutePath().toString());
        props.putAll(smallMachineSettings());
        return props;
    }

    /**
     * Broker settings for one node on a small dev or test machine, beside its node, listener and directory settings.
     */
    public static Properties smallMachineSettings() {
        Properties props = new Properties();
        // A single node: internal topics cannot be replicated, and small ones start faster.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // KIP-848 groups: a member that vanished without leaving (a killed dev JVM) is fenced after
        // 10 s instead of 45 s, and assignment changes reach members within 1 s (default 5 s).
        props.put("group.consumer.min.session.timeout.ms", "6000");
        props.put("group.consumer.session.timeout.ms", "10000");
        props.put("group.consumer.min.heartbeat.interval.ms", "500");
        props.put("group.consumer.heartbeat.interval.ms", "1000");
        // Dev and test machines are small: fewer threads and a small cleaner buffer (default 128 MiB).
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
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
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
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
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }
}
