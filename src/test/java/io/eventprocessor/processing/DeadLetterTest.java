package io.eventprocessor.processing;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Unreadable records written straight to topic {@code events} end on {@code events-dlq}; the consumer carries on. */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class DeadLetterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicWithTheReasonAndTheConsumerCarriesOn() {
        String marker = UUID.randomUUID().toString();
        String notJson = "not json " + marker;
        String withoutType = "{\"payload\": \"" + marker + "\"}";
        String goodId = "good-" + marker;
        String good = "{\"id\": \"" + goodId + "\", \"type\": \"after.poison\", \"payload\": {}}";

        List<RecordMetadata> written = companion
                .produceStrings()
                .fromRecords(
                        record("events", 0, null, notJson),
                        record("events", 0, null, withoutType),
                        record("events", 0, null, good))
                .awaitCompletion(TIMEOUT)
                .getRecords();

        List<ConsumerRecord<String, String>> dead = TopicRecords.await(
                companion,
                "events-dlq",
                record -> record.value() != null && record.value().contains(marker),
                2,
                TIMEOUT);
        assertThat(dead).extracting(ConsumerRecord::value).containsExactly(notJson, withoutType);
        assertDeadLetter(dead.get(0), "not JSON", written.get(0));
        assertDeadLetter(dead.get(1), "type: is required", written.get(1));

        ConsumerRecord<String, String> processed = TopicRecords.await(
                        companion, "events-processed", TopicRecords.hasField("id", goodId), 1, TIMEOUT)
                .get(0);
        assertThat(TopicRecords.json(processed).path("source").path("offset").asLong())
                .isEqualTo(written.get(2).offset());
    }

    /**
     * A UTF-16 event (what Windows PowerShell 5.1 writes by default) and one holding 100,000 problems: each goes to
     * the dead-letter topic with a short reason naming it, and the valid event behind them is processed.
     */
    @Test
    void foreignEncodingsAndProblemFloodsAreDeadLetteredWithAShortReason() {
        String marker = UUID.randomUUID().toString();
        byte[] utf16 = ("{\"type\":\"t\",\"payload\":{\"x\":\"" + marker + "\"}}").getBytes(StandardCharsets.UTF_16LE);
        byte[] flood = ("{\"type\":\"t\",\"payload\":\"" + marker + "\"" + ",\"type\":1".repeat(100_000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        String goodId = "good-" + marker;
        byte[] good = ("{\"id\": \"" + goodId + "\", \"type\": \"after.poison\", \"payload\": {}}")
                .getBytes(StandardCharsets.UTF_8);

        List<RecordMetadata> written = companion
                .produce(String.class, byte[].class)
                .fromRecords(
                        record("events", 2, "utf16-" + marker, utf16),
                        record("events", 2, "flood-" + marker, flood),
                        record("events", 2, null, good))
                .awaitCompletion(TIMEOUT)
                .getRecords();

        // Two keys: key order keeps each key's order, not the partition's, so the letters may come in either order.
        Map<String, ConsumerRecord<String, String>> dead = TopicRecords.await(
                        companion,
                        "events-dlq",
                        record -> record.key() != null && record.key().endsWith(marker),
                        2,
                        TIMEOUT)
                .stream()
                .collect(Collectors.toMap(ConsumerRecord::key, record -> record));
        assertDeadLetter(
                dead.get("utf16-" + marker), "the JSON is encoded as UTF-16LE; events must be UTF-8", written.get(0));
        assertDeadLetter(dead.get("flood-" + marker), "type: appears more than once", written.get(1));
        assertThat(KafkaCompanion.getHeader(dead.get("flood-" + marker).headers(), "dead-letter-reason"))
                .hasSizeLessThan(1_100)
                .endsWith("more characters)");
        TopicRecords.await(companion, "events-processed", TopicRecords.hasField("id", goodId), 1, TIMEOUT);
    }

    @Test
    void recordWithoutValueGoesToTheDeadLetterTopic() {
        String key = "tombstone-" + UUID.randomUUID();
        RecordMetadata written = companion
                .produceStrings()
                .fromRecords(record("events", 1, key, null))
                .awaitCompletion(TIMEOUT)
                .getRecords()
                .get(0);

        ConsumerRecord<String, String> dead = TopicRecords.await(
                        companion, "events-dlq", record -> key.equals(record.key()), 1, TIMEOUT)
                .get(0);
        assertDeadLetter(dead, "record has no value", written);
    }

    private static void assertDeadLetter(ConsumerRecord<String, String> dead, String reason, RecordMetadata original) {
        assertThat(KafkaCompanion.getHeader(dead.headers(), "dead-letter-reason"))
                .contains(reason);
        assertThat(KafkaCompanion.getHeader(dead.headers(), "dead-letter-topic"))
                .isEqualTo("events");
        assertThat(KafkaCompanion.getHeader(dead.headers(), "dead-letter-partition"))
                .isEqualTo(String.valueOf(original.partition()));
        assertThat(KafkaCompanion.getHeader(dead.headers(), "dead-letter-offset"))
                .isEqualTo(String.valueOf(original.offset()));
    }
}
