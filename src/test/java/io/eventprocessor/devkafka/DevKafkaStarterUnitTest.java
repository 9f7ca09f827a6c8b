package io.eventprocessor.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Dev mode starts a broker only for a local bootstrap address, and creates the topics the settings name. */
class DevKafkaStarterUnitTest {

    @Test
    void localAddressGivesItsPort() {
        assertThat(localPort("localhost:9092")).contains(9092);
        assertThat(localPort("127.0.0.1:19092,localhost:19093")).contains(19092);
    }

    @Test
    void remoteOrMalformedAddressGivesNothing() {
        assertThat(localPort("kafka.example.com:9092")).isEmpty();
        assertThat(localPort("localhost")).isEmpty();
        assertThat(localPort("localhost:port")).isEmpty();
        assertThat(localPort(":9092")).isEmpty();
    }

    @Test
    void devModeCreatesTheIngestTopicTheListedTopicsAndTheirOutputs() {
        assertThat(topics(Map.of())).isEqualTo(Map.of("events", 3, "events-processed", 3, "events-dlq", 1));
        assertThat(topics(Map.of(
                        "processor.topics.events", "raw",
                        "processor.topics.consume", "orders,payments",
                        "processor.topics.processed", "{topic}-processed",
                        "processor.topics.dead-letter", "dlq")))
                .isEqualTo(Map.of(
                        "raw", 3,
                        "orders", 3,
                        "payments", 3,
                        "orders-processed", 3,
                        "payments-processed", 3,
                        "dlq", 1));
        assertThat(topics(Map.of("processor.topics.consume-pattern", "orders-.*")))
                .as("a pattern's topics are the user's; the outputs that do not depend on them are created")
                .isEqualTo(Map.of("events", 3, "events-processed", 3, "events-dlq", 1));
    }

    private static Map<String, Integer> topics(Map<String, String> settings) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter());
        settings.forEach(builder::withDefaultValue);
        ProcessorConfig config = builder.build().getConfigMapping(ProcessorConfig.class);
        return DevKafkaStarter.topics(config, ConsumedTopics.of(config.topics()), OutputTopics.of(config.topics()));
    }

    private static Optional<Integer> localPort(String bootstrapServers) {
        return DevKafkaStarter.firstAddress(bootstrapServers)
                .filter(DevKafkaStarter::isLocal)
                .map(InetSocketAddress::getPort);
    }
}
