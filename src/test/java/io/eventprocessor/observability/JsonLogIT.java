package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The packaged jar logs one JSON object per line (production), and an entry about a record carries its topic,
 * partition, offset and, when the record could be read, its event id as fields ({@code mdc}).
 */
class JsonLogIT {

    private static final String TOPIC = "json-log";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void deadLettersAreLoggedAsJsonWithTheRecordsCoordinatesAsFields() throws Exception {
        KafkaCompanion companion = InProcessKafkaResource.companion();
        // The processed topic takes 20,000 bytes at most: an event of 19,900 bytes is readable, its processed form is
        // not. (Over the producer's batch.size, so it is sent alone: with a topic limit under batch.size, Kafka 4.1's
        // producer splits a too-large batch into batches as large again until delivery.timeout.ms, KAFKA-8350.)
        companion
                .topics()
                .create(List.of(
                        new NewTopic(TOPIC, 1, (short) 1),
                        new NewTopic(TOPIC + "-processed", 1, (short) 1).configs(Map.of("max.message.bytes", "20000")),
                        new NewTopic(TOPIC + "-dlq", 1, (short) 1)));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                TOPIC, TOPIC + "-group", Map.of("PROCESSOR_TOPICS_DEAD_LETTER", TOPIC + "-dlq"));
        try (ServiceProcess service =
                ServiceProcess.start(TOPIC, InProcessKafkaResource.bootstrapServers(), environment)) {
            String large =
                    "{\"id\":\"too-large-when-processed\",\"type\":\"t\",\"payload\":\"" + "x".repeat(19_850) + "\"}";
            companion
                    .produceStrings()
                    .fromRecords(List.of(
                            KafkaCompanion.record(TOPIC, 0, null, "not json"),
                            KafkaCompanion.record(TOPIC, 0, null, large),
                            KafkaCompanion.record(TOPIC, 0, null, "{\"id\":\"fine\",\"type\":\"t\",\"payload\":1}")))
                    .awaitCompletion(TIMEOUT);
            TopicRecords.awaitIds(companion, TOPIC + "-processed", Set.of("fine"), TIMEOUT);

            Awaitility.await("both dead letters logged")
                    .atMost(TIMEOUT)
                    .until(() -> deadLetterEntries(service).size() == 2);
            List<JsonNode> deadLetters = deadLetterEntries(service);
            assertThat(deadLetters)
                    .extracting(entry -> entry.path("mdc").path("offset").asText())
                    .containsExactly("0", "1");
            assertThat(deadLetters).allSatisfy(entry -> {
                assertThat(entry.path("level").asText()).isEqualTo("INFO");
                assertThat(entry.path("mdc").path("topic").asText()).isEqualTo(TOPIC);
                assertThat(entry.path("mdc").path("partition").asText()).isEqualTo("0");
            });
            assertThat(deadLetters.get(0).path("mdc").has("eventId"))
                    .as("an unreadable record has no id")
                    .isFalse();
            assertThat(deadLetters.get(1).path("mdc").path("eventId").asText()).isEqualTo("too-large-when-processed");
            assertThat(deadLetters.get(1).path("message").asText())
                    .contains("the processed record was refused by " + TOPIC + "-processed");

            List<String> lines =
                    service.output().lines().filter(line -> !line.isBlank()).toList();
            assertThat(lines).as("console lines").isNotEmpty().allSatisfy(line -> {
                JsonNode entry = ServiceProcess.jsonOrNull(line);
                assertThat(entry).as("a JSON object: %s", line).isNotNull();
                assertThat(entry.has("timestamp") && entry.has("level") && entry.has("message"))
                        .as(line)
                        .isTrue();
            });
        }
    }

    private static List<JsonNode> deadLetterEntries(ServiceProcess service) throws Exception {
        return service.logEntries().stream()
                .filter(entry -> entry.path("message").asText().startsWith("Sending " + TOPIC + "-0@"))
                .toList();
    }
}
