package io.eventprocessor.processing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Topics whose {@code max.message.bytes} (2,000 bytes) is below the producers' default {@code batch.size} (16,384):
 * many small events at once, taken by {@code POST /events} and processed, every one. Without the producers'
 * {@code batch.size} lowered to the topics' limit, the Kafka 4.1 producer splits a refused batch into batches just as
 * large again until its delivery timeout (KAFKA-8350): {@code POST /events} answers {@code 503} and the processor
 * stops on its first batch.
 */
@QuarkusTest
@TestProfile(SmallTopicLimitTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class SmallTopicLimitTest {

    static final String TOPIC = "small-limit";
    static final int TOPIC_LIMIT = 2_000;
    static final int EVENTS = 40;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC, "small-limit-group", Map.of("processor.topics.dead-letter", TOPIC + "-dlq"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(
                            TOPIC,
                            "1;max.message.bytes=" + TOPIC_LIMIT,
                            TOPIC + "-processed",
                            "1;max.message.bytes=" + TOPIC_LIMIT,
                            TOPIC + "-dlq",
                            "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void manySmallEventsPostedAtOnceAreAllTakenAndProcessed() {
        String run = UUID.randomUUID().toString();
        List<String> ids =
                IntStream.range(0, EVENTS).mapToObj(i -> run + "-" + i).toList();
        String body = ids.stream().map(SmallTopicLimitTest::event).collect(Collectors.joining(",", "[", "]"));

        JsonPath accepted = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();

        assertThat(accepted.getList("accepted.id", String.class)).containsExactlyElementsOf(ids);
        assertThat(TopicRecords.awaitIds(companion, TOPIC + "-processed", Set.copyOf(ids), TIMEOUT))
                .hasSize(EVENTS);
    }

    @Test
    void aPolledBatchOfManySmallRecordsIsAllProcessed() {
        String run = UUID.randomUUID().toString();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            String id = run + "-straight-" + i;
            ids.add(id);
            records.add(new ProducerRecord<>(TOPIC, 0, id, event(id)));
        }
        // Written in batches the topic takes, so that the processor polls them together.
        companion
                .produceStrings()
                .withProp(ProducerConfig.BATCH_SIZE_CONFIG, TOPIC_LIMIT)
                .fromRecords(records)
                .awaitCompletion(TIMEOUT);

        assertThat(TopicRecords.awaitIds(companion, TOPIC + "-processed", ids, TIMEOUT))
                .hasSize(EVENTS);
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"order.created\",\"payload\":{\"total\":\"42.10\",\"lines\":[1,2,3]}}";
    }
}
