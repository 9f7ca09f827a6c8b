package io.eventprocessor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Test resource: one in-process Kafka broker per test run (free ports, a fresh data directory), the
 * service's topics created on it, {@code kafka.bootstrap.servers} handed to the application, and a
 * {@link KafkaCompanion} injected into fields annotated {@link InjectKafkaCompanion}.
 * <p>
 * The broker outlives application restarts between test classes and stops when the JVM exits.
 */
public class InProcessKafkaResource implements QuarkusTestResourceLifecycleManager {

    /** Partitions of topic {@code events} (and {@code events-processed}) in tests. */
    public static final int EVENTS_PARTITIONS = 3;

    /** {@code processor.instance-id} of the application under test. */
    public static final String INSTANCE_ID = "test-instance";

    private static KafkaCompanion companion;

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers(), "processor.instance-id", INSTANCE_ID);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                companion(),
                new TestInjector.AnnotatedAndMatchesType(InjectKafkaCompanion.class, KafkaCompanion.class));
    }

    @Override
    public void stop() {
        // The broker serves the whole test run; a JVM shutdown hook stops it.
    }

    /**
     * The bootstrap servers of this JVM's test broker, started on first use. One broker per JVM, whichever class
     * loader asks: Quarkus loads this class again for each {@code @QuarkusTest} application, so a static field gave the
     * plain tests and the applications of one failsafe JVM brokers of their own, and once an application one broker
     * and its test methods another (CI, 2026-12-07). The address is kept in a file named after this JVM's process id,
     * under a lock every copy shares.
     */
    public static String bootstrapServers() {
        Path address = Path.of("target", "test-kafka-" + ProcessHandle.current().pid() + ".address");
        synchronized (Runtime.getRuntime()) {
            try {
                if (Files.exists(address)) {
                    return Files.readString(address);
                }
                // Like most production clusters: topics exist only when created on purpose.
                TestKafkaBroker broker = TestKafkaBroker.create(
                                0, newDataDir(), Map.of("auto.create.topics.enable", "false"))
                        .start();
                broker.ensureTopics(
                        Map.of("events", EVENTS_PARTITIONS, "events-processed", EVENTS_PARTITIONS, "events-dlq", 1));
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-shutdown"));
                Files.writeString(address, broker.bootstrapServers());
                address.toFile().deleteOnExit();
                return broker.bootstrapServers();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A companion connected to the broker of this test run. */
    public static synchronized KafkaCompanion companion() {
        if (companion == null) {
            companion = new KafkaCompanion(bootstrapServers());
        }
        return companion;
    }

    private static Path newDataDir() {
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            return Files.createTempDirectory(target, "test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
