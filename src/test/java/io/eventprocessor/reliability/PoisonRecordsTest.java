package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Poison records of every kind, written straight to topic {@code events} with a marker key: each one
 * ends on {@code events-dlq} with its reason, valid records around them are processed, and the counts
 * add up: processed + dead-lettered = consumed.
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class PoisonRecordsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int HUGE = 900_000;

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void everyKindOfPoisonGoesToTheDeadLetterTopicAndTheCountsAddUp() {
        String run = UUID.randomUUID().toString();
        Map<String, byte[]> poison = new LinkedHashMap<>();
        poison.put("not-json", utf8("<<< definitely not json"));
        poison.put("json-array", utf8("[1, 2, 3]"));
        poison.put("json-string", utf8("\"just a string\""));
        poison.put("json-number", utf8("42"));
        poison.put("json-null", utf8("null"));
        poison.put("empty", new byte[0]);
        poison.put("type-number", utf8("{\"type\": 7, \"payload\": {}}"));
        poison.put("type-blank", utf8("{\"type\": \"  \", \"payload\": {}}"));
        poison.put("id-number", utf8("{\"type\": \"a\", \"id\": 5}"));
        poison.put("key-array", utf8("{\"type\": \"a\", \"key\": []}"));
        poison.put("huge-not-json", utf8("x".repeat(HUGE)));
        poison.put("invalid-utf8", new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE});
        poison.put("tombstone", null);
        Map<String, String> reasons = Map.ofEntries(
                Map.entry("not-json", "not JSON"),
                Map.entry("json-array", "must be a JSON object"),
                Map.entry("json-string", "must be a JSON object"),
                Map.entry("json-number", "must be a JSON object"),
                Map.entry("json-null", "must be a JSON object"),
                Map.entry("empty", "must be a JSON object"),
                Map.entry("type-number", "type: must be a string"),
                Map.entry("type-blank", "type: must not be blank"),
                Map.entry("id-number", "id: must be a string"),
                Map.entry("key-array", "key: must be a string"),
                Map.entry("huge-not-json", "not JSON"),
                Map.entry("invalid-utf8", "not JSON"),
                Map.entry("tombstone", "record has no value"));
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("valid-plain", "{\"id\": \"" + run + "-plain\", \"type\": \"ok\", \"payload\": 1}");
        valid.put(
                "valid-huge",
                "{\"id\": \"" + run + "-huge\", \"type\": \"ok\", \"payload\": \"" + "y".repeat(HUGE) + "\"}");
        valid.put("valid-bad-headers", "{\"id\": \"" + run + "-headers\", \"type\": \"ok\", \"payload\": 3}");

        double processedBefore = PrometheusScrape.value("event_processor_records_processed_total", Map.of())
                .orElse(0);
        double deadBefore = PrometheusScrape.value("event_processor_records_dead_lettered_total", Map.of())
                .orElse(0);

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        poison.forEach((kind, value) -> records.add(new ProducerRecord<>("events", 0, run + ":" + kind, value)));
        valid.forEach((kind, value) ->
                records.add(new ProducerRecord<>("events", 0, null, run + ":" + kind, utf8(value), badHeaders())));
        companion
                .<String, byte[]>produceWithSerializers(new StringSerializer(), new ByteArraySerializer())
                .fromRecords(records)
                .awaitCompletion(TIMEOUT);

        List<ConsumerRecord<String, String>> dead = TopicRecords.await(
                companion,
                "events-dlq",
                record -> record.key() != null && record.key().startsWith(run + ":"),
                poison.size(),
                TIMEOUT);
        for (ConsumerRecord<String, String> record : dead) {
            String kind = record.key().substring(run.length() + 1);
            assertThat(KafkaCompanion.getHeader(record.headers(), "dead-letter-reason"))
                    .as(kind)
                    .contains(reasons.get(kind));
            assertThat(KafkaCompanion.getHeader(record.headers(), "dead-letter-topic"))
                    .isEqualTo("events");
        }
        assertThat(dead)
                .extracting(record -> record.key().substring(run.length() + 1))
                .containsExactlyInAnyOrderElementsOf(poison.keySet());
        List<ConsumerRecord<byte[], byte[]>> deadBytes = TopicRecords.awaitRaw(
                companion, "events-dlq", TopicRecords.keyStartsWith(run + ":"), poison.size(), TIMEOUT);
        for (ConsumerRecord<byte[], byte[]> record : deadBytes) {
            String kind = new String(record.key(), StandardCharsets.UTF_8).substring(run.length() + 1);
            assertThat(record.value())
                    .as("dead letter of %s, byte for byte", kind)
                    .isEqualTo(poison.get(kind));
        }

        TopicRecords.awaitIds(
                companion, "events-processed", Set.of(run + "-plain", run + "-huge", run + "-headers"), TIMEOUT);
        Awaitility.await("processed + dead-lettered = consumed").atMost(TIMEOUT).untilAsserted(() -> {
            double processed =
                    PrometheusScrape.require("event_processor_records_processed_total", Map.of()) - processedBefore;
            double deadLettered =
                    PrometheusScrape.require("event_processor_records_dead_lettered_total", Map.of()) - deadBefore;
            assertThat(processed).isEqualTo(valid.size());
            assertThat(deadLettered).isEqualTo(poison.size());
            assertThat(processed + deadLettered).isEqualTo(records.size());
        });
    }

    private static RecordHeaders badHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("null-value", null));
        headers.add(new RecordHeader("binary", new byte[] {0, (byte) 0xFF, (byte) 0xC3}));
        headers.add(new RecordHeader("", utf8("empty name")));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
