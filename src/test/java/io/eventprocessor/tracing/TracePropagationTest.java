package io.eventprocessor.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * With tracing on ({@code quarkus.otel.sdk.disabled=false}), a trace started by the {@code POST /events} caller
 * continues through {@code events} to {@code events-processed}: each record carries a W3C {@code traceparent} of
 * the caller's trace, with the span of the step that wrote it. Only the W3C trace context: a caller's
 * {@code baggage} (any keys and values it likes) is not copied into every record.
 */
@QuarkusTest
@TestProfile(TracePropagationTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class TracePropagationTest {

    static final String TOPIC = "traced";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(TOPIC, "traced-group", Map.of("quarkus.otel.sdk.disabled", "false"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void theCallersTraceContinuesThroughEventsToEventsProcessed() {
        given().contentType("application/json")
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .header("baggage", "user.id=alice,session=" + "s".repeat(100))
                .body("{\"id\":\"traced-1\",\"type\":\"t\",\"payload\":1}")
                .post("/events")
                .then()
                .statusCode(202);

        ConsumerRecord<String, String> written = companion
                .consumeStrings()
                .fromTopics(TOPIC, 1)
                .awaitCompletion(TIMEOUT)
                .getFirstRecord();
        ConsumerRecord<String, String> processed = TopicRecords.awaitIds(
                        companion, TOPIC + "-processed", Set.of("traced-1"), TIMEOUT)
                .get(0);

        String[] onEvents = traceparent(written);
        String[] onProcessed = traceparent(processed);
        assertThat(onEvents[1]).as("trace id on %s", TOPIC).isEqualTo(TRACE_ID);
        assertThat(onProcessed[1]).as("trace id on %s-processed", TOPIC).isEqualTo(TRACE_ID);
        assertThat(onEvents[2])
                .as("the request's server span, not the caller's")
                .isNotEqualTo(CALLER_SPAN);
        assertThat(onProcessed[2])
                .as("the processing step's span")
                .isNotEqualTo(onEvents[2])
                .isNotEqualTo(CALLER_SPAN);
        assertThat(onProcessed[3]).as("sampled").isEqualTo("01");
        assertThat(written.headers().headers("baggage"))
                .as("the caller's baggage is not copied into records")
                .isEmpty();
        assertThat(processed.headers().headers("baggage")).isEmpty();
    }

    /** version, trace id, span id, flags */
    private static String[] traceparent(ConsumerRecord<String, String> record) {
        assertThat(record.headers().lastHeader("traceparent"))
                .as("traceparent on %s", record.topic())
                .isNotNull();
        String value = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertThat(value).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        return value.split("-");
    }
}
