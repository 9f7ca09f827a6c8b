package io.eventprocessor.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Limits at the door, with default settings: an event over {@code processor.ingest.max-event-bytes}
 * (1,000,000) in a body under {@code processor.ingest.max-body-bytes} gets {@code 413} and nothing is
 * written; an event the broker refuses as too large for the topic gets {@code 413} too, and one it
 * refuses as invalid (keyless, for a compacted topic) {@code 400}: never a {@code 503} that a client
 * would retry forever, and what was stored before is listed.
 */
@QuarkusTest
@TestProfile(IngestLimitsTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class IngestLimitsTest {

    static final String TOPIC = "ingest-limits";
    static final int TOPIC_LIMIT = 20_000;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(TOPIC, "ingest-limits-group", Map.of());
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(
                            TOPIC,
                            "1;max.message.bytes=" + TOPIC_LIMIT + ";cleanup.policy=compact",
                            TOPIC + "-processed",
                            "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aSingleEventOverTheEventLimitIsRefusedWith413AndNothingIsWritten() {
        long before = TopicRecords.endOffsetSum(companion, TOPIC, 1);
        String body = "{\"type\":\"t\",\"payload\":\"" + "x".repeat(1_048_400) + "\"}";

        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then()
                .statusCode(413)
                .body("status", equalTo(413))
                .body("message", containsString("the event takes"))
                .body("message", containsString("over processor.ingest.max-event-bytes=1000000"));

        assertThat(TopicRecords.endOffsetSum(companion, TOPIC, 1)).isEqualTo(before);
    }

    @Test
    void anEventTheBrokerRefusesAsTooLargeIsAnswered413WithWhatWasStored() {
        String small = "{\"id\":\"stored-first\",\"key\":\"k\",\"type\":\"t\",\"payload\":1}";
        String big = "{\"key\":\"k\",\"type\":\"t\",\"payload\":\"" + "x".repeat(TOPIC_LIMIT + 1000) + "\"}";

        given().contentType(ContentType.JSON)
                .body("[" + small + "," + big + "]")
                .when()
                .post("/events")
                .then()
                .statusCode(413)
                .body("message", containsString("refused 1 of 2 event(s) as too large for topic " + TOPIC))
                .body("accepted", hasSize(1))
                .body("accepted[0].id", equalTo("stored-first"));
    }

    @Test
    void anEventTheBrokerRefusesAsInvalidIsAnswered400() {
        given().contentType(ContentType.JSON)
                .body("{\"type\":\"t\",\"payload\":1}")
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .body("status", equalTo(400))
                .body("message", containsString("refused 1 of 1 event(s) as invalid for topic " + TOPIC))
                .body("message", containsString("without key"));
    }
}
