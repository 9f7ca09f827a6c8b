package io.eventprocessor.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code processor.delivery=exactly-once} on a real broker, as a {@code read_committed} reader of the output
 * topics sees it: poison records and records the broker refuses are dead-lettered once, inside the batch's
 * transaction (the refused attempt is aborted and written again); a member joining and dying mid-stream, and the
 * topic growing mid-stream, leave every input record's output on the topics exactly once.
 */
@QuarkusTest
@TestProfile(ExactlyOnceTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class ExactlyOnceTest {

    static final String TOPIC = "eos";
    static final String GROUP = "eos-group";
    static final int PROCESSED_TOPIC_LIMIT = 50_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    GROUP,
                    Map.of("processor.delivery", "exactly-once", "processor.topics.dead-letter", TOPIC + "-dlq"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(
                            TOPIC,
                            "3",
                            TOPIC + "-processed",
                            "1;max.message.bytes=" + PROCESSED_TOPIC_LIMIT,
                            TOPIC + "-dlq",
                            "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void poisonAndRefusedRecordsAreDeadLetteredOnceInTheBatchTransaction() {
        String run = UUID.randomUUID().toString();
        double abortedBefore = abortedForRefusedRecords();
        Set<String> good = new HashSet<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = run + "-" + i;
            good.add(id);
            records.add(new ProducerRecord<>(TOPIC, i % 3, run + ":" + i, event(id, 200)));
            if (i % 100 == 50) {
                records.add(new ProducerRecord<>(TOPIC, i % 3, run + ":unreadable-" + i, "not json " + i));
            }
        }
        records.add(150, new ProducerRecord<>(TOPIC, 0, run + ":refused", event(run + "-refused", 60_000)));
        companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);

        TopicRecords.assertEachIdOnce(companion, GROUP, TOPIC, TOPIC + "-processed", good, TIMEOUT);
        List<ConsumerRecord<String, String>> dead = TopicRecords.readCommitted(companion, TOPIC + "-dlq").stream()
                .filter(record -> record.key() != null && record.key().startsWith(run + ":"))
                .toList();
        assertThat(dead)
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(
                        run + ":unreadable-50", run + ":unreadable-150", run + ":unreadable-250", run + ":refused");
        assertThat(dead)
                .filteredOn(record -> record.key().equals(run + ":refused"))
                .singleElement()
                .satisfies(record -> assertThat(header(record, "dead-letter-reason"))
                        .startsWith("the processed record was refused by " + TOPIC + "-processed"));
        assertThat(abortedForRefusedRecords())
                .as("the attempt with the refused record was aborted")
                .isGreaterThan(abortedBefore);
        Management.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aMemberJoiningAndDyingAndTheTopicGrowingMidStreamLoseAndDuplicateNothing() throws Exception {
        MidStreamChurn.run(companion, TOPIC, GROUP, "consumer", 5, TIMEOUT);
    }

    private static double abortedForRefusedRecords() {
        return Management.given()
                .get("/q/metrics")
                .asString()
                .lines()
                .filter(line -> line.startsWith("event_processor_transactions_aborted_total{")
                        && line.contains("reason=\"refused-record\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    static String event(String id, int totalBytes) {
        String head = "{\"id\":\"" + id + "\",\"type\":\"eos\",\"payload\":\"";
        String tail = "\"}";
        return head + "z".repeat(Math.max(0, totalBytes - head.length() - tail.length())) + tail;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
