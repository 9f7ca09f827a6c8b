package io.eventprocessor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A broker of the test's own, which the test may stop and start again on the same port and data
 * without disturbing the other tests. Creates {@code events} (2 partitions), {@code events-processed}
 * and {@code events-dlq}.
 */
public class RestartableBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static Path dataDir;
    private static TestKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "restartable-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = TestKafkaBroker.create(0, dataDir, Map.of("auto.create.topics.enable", "false"))
                .start();
        broker.ensureTopics(Map.of("events", 2, "events-processed", 1, "events-dlq", 1));
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        broker.close();
    }

    /** Stops the broker; clients see it unreachable. */
    public static void stopBroker() {
        broker.close();
    }

    /** Starts the broker again on the same port and data. */
    public static void startBroker() {
        broker = TestKafkaBroker.create(broker.port(), dataDir, Map.of("auto.create.topics.enable", "false"))
                .start();
    }

    /** A new companion on this broker; the caller closes it. */
    public static KafkaCompanion companion() {
        return new KafkaCompanion(broker.bootstrapServers());
    }
}
