package io.eventprocessor.processing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * No poison pill: a record whose processed form the broker refuses (over the processed topic's
 * {@code max.message.bytes}) or the producer refuses (over its {@code max.request.size}) goes to the
 * dead-letter topic with the reason, byte for byte or, when even that is refused, as a bounded dead
 * letter; so does a record the compacted processed topic refuses as invalid (no key), while the valid
 * records sent with it are written. The partition moves on and the channel stays up. At the door, an
 * event over {@code processor.ingest.max-event-bytes} is refused with {@code 413} and nothing is written.
 */
@QuarkusTest
@TestProfile(UnwritableOutputTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class UnwritableOutputTest {

    static final String TOPIC = "unwritable";
    static final int PROCESSED_TOPIC_LIMIT = 50_000;
    static final int PRODUCER_LIMIT = 200_000;
    static final int MAX_EVENT_BYTES = 40_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "unwritable-group",
                    Map.of(
                            "processor.topics.dead-letter", TOPIC + "-dlq",
                            "mp.messaging.outgoing.events-processed.max.request.size", String.valueOf(PRODUCER_LIMIT),
                            "processor.ingest.max-event-bytes", String.valueOf(MAX_EVENT_BYTES)));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(
                            TOPIC,
                            "1",
                            TOPIC + "-processed",
                            "1;max.message.bytes=" + PROCESSED_TOPIC_LIMIT + ";cleanup.policy=compact",
                            TOPIC + "-dlq",
                            "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void recordsWhoseOutputCanNeverBeWrittenAreDeadLetteredAndThePartitionMovesOn() {
        String run = UUID.randomUUID().toString();
        byte[] brokerRefuses = event(run + "-broker", 60_000);
        byte[] producerRefuses = event(run + "-producer", PRODUCER_LIMIT - 150);
        byte[] keyless = event(run + "-keyless", 200);
        byte[] after = event(run + "-after", 200);
        companion
                .<String, byte[]>produceWithSerializers(new StringSerializer(), new ByteArraySerializer())
                .fromRecords(List.of(
                        new ProducerRecord<>(TOPIC, 0, run + ":broker", brokerRefuses),
                        new ProducerRecord<>(TOPIC, 0, run + ":producer", producerRefuses),
                        new ProducerRecord<>(TOPIC, 0, null, keyless),
                        new ProducerRecord<>(TOPIC, 0, run + ":after", after)))
                .awaitCompletion(TIMEOUT);

        TopicRecords.awaitIds(companion, TOPIC + "-processed", Set.of(run + "-after"), TIMEOUT);
        ConsumerRecord<byte[], byte[]> invalid = TopicRecords.awaitRaw(
                        companion,
                        TOPIC + "-dlq",
                        record -> record.key() == null
                                && record.value() != null
                                && Arrays.equals(record.value(), keyless),
                        1,
                        TIMEOUT)
                .get(0);
        assertThat(header(invalid, "dead-letter-reason"))
                .startsWith("the processed record was refused by " + TOPIC + "-processed")
                .contains("without key");
        List<ConsumerRecord<byte[], byte[]>> dead =
                TopicRecords.awaitRaw(companion, TOPIC + "-dlq", TopicRecords.keyStartsWith(run), 2, TIMEOUT);

        ConsumerRecord<byte[], byte[]> refusedByBroker = dead.get(0);
        assertThat(refusedByBroker.key()).isEqualTo((run + ":broker").getBytes(StandardCharsets.UTF_8));
        assertThat(refusedByBroker.value()).as("consumed value, byte for byte").isEqualTo(brokerRefuses);
        assertThat(header(refusedByBroker, "dead-letter-reason"))
                .startsWith("the processed record was refused by " + TOPIC + "-processed");
        assertThat(header(refusedByBroker, "dead-letter-offset")).isEqualTo("0");

        ConsumerRecord<byte[], byte[]> bounded = dead.get(1);
        assertThat(bounded.key()).isEqualTo((run + ":producer").getBytes(StandardCharsets.UTF_8));
        assertThat(bounded.value()).as("value omitted").isNull();
        assertThat(header(bounded, "dead-letter-original-value-size"))
                .isEqualTo(String.valueOf(producerRefuses.length));
        assertThat(header(bounded, "dead-letter-truncated")).startsWith("value and original headers omitted");
        assertThat(header(bounded, "dead-letter-reason")).contains("max.request.size");
        assertThat(header(bounded, "dead-letter-offset")).isEqualTo("1");

        Management.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anEventOverTheEventLimitIsRefusedAtTheDoorWith413() {
        long before = TopicRecords.endOffsetSum(companion, TOPIC, 1);
        String small = "{\"type\":\"t\",\"payload\":1}";
        String big = "{\"type\":\"t\",\"payload\":\"" + "x".repeat(MAX_EVENT_BYTES) + "\"}";

        given().contentType(ContentType.JSON)
                .body("[" + small + "," + big + "]")
                .when()
                .post("/events")
                .then()
                .statusCode(413)
                .body("status", equalTo(413))
                .body("message", containsString("event [1] takes"))
                .body("message", containsString("processor.ingest.max-event-bytes=" + MAX_EVENT_BYTES));

        assertThat(TopicRecords.endOffsetSum(companion, TOPIC, 1))
                .as("records on " + TOPIC)
                .isEqualTo(before);
    }

    private static byte[] event(String id, int totalBytes) {
        String head = "{\"id\":\"" + id + "\",\"type\":\"big\",\"payload\":\"";
        String tail = "\"}";
        return (head + "y".repeat(totalBytes - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
