package io.eventprocessor;

import static io.restassured.RestAssured.given;
import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.PrometheusScrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code /q/metrics} carries the service's own metrics with correct values, and Kafka's client metrics. The
 * application runs on topics and a group of its own, so that no other test moves its counters.
 */
@QuarkusTest
@TestProfile(MetricsTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class MetricsTest {

    static final String TOPIC = "metrics";
    static final int PARTITIONS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> EVENTS = Map.of("topic", TOPIC, "group", "metrics-group");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC, "metrics-group", Map.of("processor.topics.dead-letter", TOPIC + "-dlq"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(TOPIC, String.valueOf(PARTITIONS), TOPIC + "-processed", "1", TOPIC + "-dlq", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void partitionGaugesFollowTheOwnershipSnapshot() {
        Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(PrometheusScrape.require("event_processor_partitions", EVENTS))
                    .isEqualTo(PARTITIONS);
            assertThat(PrometheusScrape.require("event_processor_partitions_owned", EVENTS))
                    .isEqualTo(PARTITIONS);
            assertThat(PrometheusScrape.require("event_processor_partitions_unowned", EVENTS))
                    .isZero();
            assertThat(PrometheusScrape.require("event_processor_partitions_unowned_past_grace", EVENTS))
                    .isZero();
        });
        assertThat(PrometheusScrape.require("event_processor_ownership_data_age_seconds", Map.of()))
                .isLessThan(30);
    }

    @Test
    void processedAndDeadLetteredRecordsAreCounted() {
        double processedBefore = PrometheusScrape.value("event_processor_records_processed_total", Map.of())
                .orElse(0);
        double deadBefore = PrometheusScrape.value("event_processor_records_dead_lettered_total", Map.of())
                .orElse(0);

        given().contentType(ContentType.JSON)
                .body("[{\"type\":\"counted\",\"payload\":1},{\"type\":\"counted\",\"payload\":2}]")
                .post("/events")
                .then()
                .statusCode(202);
        companion
                .produceStrings()
                .fromRecords(record(TOPIC, 0, null, "not an event"))
                .awaitCompletion(TIMEOUT);

        Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(PrometheusScrape.require("event_processor_records_processed_total", Map.of()))
                    .isEqualTo(processedBefore + 2);
            assertThat(PrometheusScrape.require("event_processor_records_dead_lettered_total", Map.of()))
                    .isEqualTo(deadBefore + 1);
        });
        assertThat(PrometheusScrape.require("event_processor_processing_seconds_count", Map.of()))
                .isGreaterThanOrEqualTo(processedBefore + deadBefore + 3);
    }

    @Test
    void kafkaClientMetricsAreExposed() {
        assertThat(PrometheusScrape.hasSampleStartingWith("kafka_consumer_")).isTrue();
        assertThat(PrometheusScrape.hasSampleStartingWith("kafka_producer_")).isTrue();
    }
}
