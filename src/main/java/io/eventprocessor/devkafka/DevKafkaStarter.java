package io.eventprocessor.devkafka;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: before Reactive Messaging starts its channels, makes sure a Kafka broker serves
 * {@code kafka.bootstrap.servers} (default {@code localhost:9092}) and that the service's topics exist
 * ({@link #topics}).
 * <p>
 * If nothing listens there and the address is local, an {@link InProcessKafkaBroker} starts on its port. It belongs to the JVM,
 * not to the application: a live reload finds the port taken and keeps using it, so the broker and
 * its data survive reloads; a JVM shutdown hook stops it when dev mode ends. This bean is removed from
 * every build but dev ({@code @IfBuildProfile}), so production code never reaches the broker classes.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevKafkaStarter {

    /**
     * Names of the JVM shutdown hooks on which Quarkus stops the application in dev mode: dev mode's own
     * (IsolatedDevModeMain) and the application's (ApplicationLifecycleManager).
     */
    private static final Set<String> QUARKUS_SHUTDOWN_THREADS = Set.of("Quarkus Shutdown Thread", "Shutdown thread");

    void ensureBroker(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            ProcessorConfig config,
            ConsumedTopics consumed,
            OutputTopics outputs,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = ProcessorConfig.DEFAULT_BOOTSTRAP_SERVERS)
                    String bootstrapServers) {
        ProcessorConfig.DevKafka devKafka = config.devKafka();
        Optional<InetSocketAddress> address = firstAddress(bootstrapServers);
        Optional<Integer> localPort = address.filter(DevKafkaStarter::isLocal).map(InetSocketAddress::getPort);
        if (address.map(InProcessKafkaBroker::isListening).orElse(false)) {
            Log.infof("A Kafka broker already listens on %s: using it", bootstrapServers);
        } else if (!devKafka.enabled() || localPort.isEmpty()) {
            Log.infof(
                    "No in-process Kafka broker (processor.dev-kafka.enabled=%s, kafka.bootstrap.servers=%s)",
                    devKafka.enabled(), bootstrapServers);
            return;
        } else {
            int port = localPort.get();
            InProcessKafkaBroker broker = InProcessKafkaBroker.create(port, Path.of(devKafka.dataDir()))
                    .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                awaitApplicationShutdown();
                                broker.close();
                            },
                            "dev-kafka-shutdown"));
        }
        InProcessKafkaBroker.ensureTopics(bootstrapServers, topics(config, consumed, outputs));
    }

    /**
     * The topics dev mode creates, with their partition counts: the ingest topic, the listed consumed topics and their
     * processed topics ({@code processor.dev-kafka.partitions} each), their dead-letter topics (one partition each).
     */
    static Map<String, Integer> topics(ProcessorConfig config, ConsumedTopics consumed, OutputTopics outputs) {
        int partitions = config.devKafka().partitions();
        Map<String, Integer> topics = new TreeMap<>();
        topics.put(config.topics().events(), partitions);
        for (String input : consumed.listed()) {
            topics.put(input, partitions);
            topics.putIfAbsent(outputs.deadLetter(input), 1);
            topics.put(outputs.processed(input), partitions);
        }
        if (consumed.pattern().isPresent() && !outputs.perInput()) {
            topics.putIfAbsent(config.topics().deadLetter(), 1);
            topics.put(config.topics().processed(), partitions);
        }
        return topics;
    }

    /** The first {@code host:port} of a bootstrap list, unresolved; empty when it is malformed. */
    static Optional<InetSocketAddress> firstAddress(String bootstrapServers) {
        String first = bootstrapServers.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetSocketAddress.createUnresolved(
                    first.substring(0, colon), Integer.parseInt(first.substring(colon + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether the address is this machine's, where an in-process broker can listen. */
    static boolean isLocal(InetSocketAddress address) {
        return address.getHostString().equals("localhost")
                || address.getHostString().equals("127.0.0.1");
    }

    /**
     * JVM shutdown hooks start together, in no set order: let Quarkus' own hooks stop the application (its consumer
     * leaves the group, its producers flush) before the broker goes away, so that the clients neither fail nor spend
     * their close timeouts retrying. Looks for those hooks for up to a second, then waits for each to end.
     */
    private static void awaitApplicationShutdown() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long lookUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        Set<Thread> ended = new HashSet<>();
        try {
            while (System.nanoTime() < deadline) {
                List<Thread> running = Thread.getAllStackTraces().keySet().stream()
                        .filter(thread ->
                                QUARKUS_SHUTDOWN_THREADS.contains(thread.getName()) && !ended.contains(thread))
                        .toList();
                if (running.isEmpty() && (!ended.isEmpty() || System.nanoTime() > lookUntil)) {
                    return;
                }
                for (Thread thread : running) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    ended.add(thread);
                }
                if (running.isEmpty()) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
