package io.eventprocessor.devkafka;

import java.nio.file.Path;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: before Reactive Messaging starts its channels, makes sure a Kafka broker serves
 * {@code localhost:<processor.dev-kafka.port>} and that the service's topics exist.
 * <p>
 * If nothing listens on the port, an {@link InProcessKafkaBroker} starts there. It belongs to the JVM,
 * not to the application: a live reload finds the port taken and keeps using it, so the broker and
 * its data survive reloads; a JVM shutdown hook stops it when dev mode ends. This bean is removed from
 * every build but dev ({@code @IfBuildProfile}), so production code never reaches the broker classes.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevKafkaStarter {

    void ensureBroker(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event,
            ProcessorConfig config) {
        ProcessorConfig.DevKafka devKafka = config.devKafka();
        if (!devKafka.enabled()) {
            Log.info("In-process Kafka broker disabled (processor.dev-kafka.enabled=false)");
            return;
        }
        int port = devKafka.port();
        String bootstrapServers = "localhost:" + port;
        if (InProcessKafkaBroker.isListening(port)) {
            Log.infof("A Kafka broker already listens on %s: using it", bootstrapServers);
        } else {
            InProcessKafkaBroker broker = InProcessKafkaBroker.create(port, Path.of(devKafka.dataDir()), Map.of()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "dev-kafka-shutdown"));
        }
        InProcessKafkaBroker.ensureTopics(bootstrapServers, Map.of(
                config.topics().events(), devKafka.partitions(),
                config.topics().processed(), devKafka.partitions(),
                config.topics().deadLetter(), 1));
    }
}
