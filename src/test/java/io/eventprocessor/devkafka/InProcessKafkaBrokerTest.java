package io.eventprocessor.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The in-process broker keeps its topics and records when it is stopped and started again on its data. */
class InProcessKafkaBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void restartOnTheSameDataKeepsTopicsAndRecords(@TempDir Path dataDir) {
        int port;
        try (InProcessKafkaBroker broker =
                        InProcessKafkaBroker.create(0, dataDir).start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            port = broker.port();
            broker.ensureTopics(Map.of("kept", 2));
            companion
                    .produceStrings()
                    .fromRecords(KafkaCompanion.record("kept", 1, "k", "before restart"))
                    .awaitCompletion(TIMEOUT);
        }
        assertThat(InProcessKafkaBroker.isListening(new InetSocketAddress("localhost", port)))
                .isFalse();

        try (InProcessKafkaBroker broker =
                        InProcessKafkaBroker.create(port, dataDir).start();
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            assertThat(companion.topics().describe("kept").get("kept").partitions())
                    .hasSize(2);
            assertThat(companion
                            .consumeStrings()
                            .fromTopics("kept", 1)
                            .awaitCompletion(TIMEOUT)
                            .getFirstRecord()
                            .value())
                    .isEqualTo("before restart");
        }
    }
}
