package io.eventprocessor.processing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * What leaves is what came: a payload posted to {@code POST /events} is on {@code events} and on
 * {@code events-processed} as the same JSON text (numbers with every digit and as written, strings with
 * their escapes, key order); a record's key leaves byte for byte; a dead letter carries the consumed key,
 * value and headers byte for byte.
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class PayloadFidelityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The payload of the report that opened issue 11, and its neighbours. */
    private static final String PAYLOAD =
            "{\"amount\":12345678901234567.89,\"pi\":3.14159265358979323846264338327950288,"
                    + "\"price\":42.10,\"tiny\":1e-400,\"huge\":1E+400,\"minusZero\":-0,\"minusZeroFloat\":-0.0,"
                    + "\"big\":123456789012345678901234567890,\"z\":\"last key first\",\"a\":[1,2.50,{\"b\":null}],"
                    + "\"text\":\"😀 \\ud83d\\ude00 \\u0000 \\\" é 中文\"}";

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void postedPayloadIsStoredAndProcessedAsWritten() {
        String id = UUID.randomUUID().toString();
        given().contentType(ContentType.JSON)
                .body(("{\"id\":\"" + id + "\",\"type\":\"t\",\"payload\":" + PAYLOAD + "}")
                        .getBytes(StandardCharsets.UTF_8))
                .when()
                .post("/events")
                .then()
                .statusCode(202);

        // Topic events also holds poison written by other tests: match by field, not by parsing everything.
        ConsumerRecord<String, String> stored = TopicRecords.await(
                        companion, "events", TopicRecords.hasField("id", id), 1, TIMEOUT)
                .get(0);
        assertThat(stored.value()).isEqualTo("{\"id\":\"" + id + "\",\"type\":\"t\",\"payload\":" + PAYLOAD + "}");

        ConsumerRecord<String, String> processed = TopicRecords.awaitIds(
                        companion, "events-processed", Set.of(id), TIMEOUT)
                .get(0);
        assertThat(processed.value())
                .startsWith("{\"id\":\"" + id + "\",\"type\":\"t\",\"payload\":" + PAYLOAD + ",\"source\":");
    }

    @Test
    void keysAndDeadLettersLeaveByteForByte() {
        String run = UUID.randomUUID().toString();
        byte[] binaryKey = concat(run.getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE, 0});
        byte[] validEvent =
                ("{\"id\":\"" + run + "-valid\",\"type\":\"t\",\"payload\":1}").getBytes(StandardCharsets.UTF_8);
        byte[] invalidUtf8 = concat(
                "{\"type\":\"t\",\"payload\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'});
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("binary", new byte[] {0, (byte) 0xFF, (byte) 0xC3}));
        headers.add(new RecordHeader("null-value", null));
        companion
                .<byte[], byte[]>produceWithSerializers(new ByteArraySerializer(), new ByteArraySerializer())
                .fromRecords(List.of(
                        new ProducerRecord<>("events", 1, null, binaryKey, invalidUtf8, headers),
                        new ProducerRecord<>("events", 1, binaryKey, validEvent)))
                .awaitCompletion(TIMEOUT);

        ConsumerRecord<byte[], byte[]> dead = TopicRecords.awaitRaw(
                        companion, "events-dlq", TopicRecords.keyStartsWith(run), 1, TIMEOUT)
                .get(0);
        assertThat(dead.key()).isEqualTo(binaryKey);
        assertThat(dead.value()).isEqualTo(invalidUtf8);
        assertThat(dead.headers().lastHeader("binary").value()).isEqualTo(new byte[] {0, (byte) 0xFF, (byte) 0xC3});
        Header nullValue = dead.headers().lastHeader("null-value");
        assertThat(nullValue).isNotNull();
        assertThat(nullValue.value()).isNull();
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .startsWith("not JSON");

        ConsumerRecord<byte[], byte[]> processed = TopicRecords.awaitRaw(
                        companion, "events-processed", TopicRecords.keyStartsWith(run), 1, TIMEOUT)
                .get(0);
        assertThat(processed.key()).isEqualTo(binaryKey);
        assertThat(new String(processed.value(), StandardCharsets.UTF_8)).contains("\"id\":\"" + run + "-valid\"");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
