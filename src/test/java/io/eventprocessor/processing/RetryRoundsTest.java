package io.eventprocessor.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.ScriptedEnricher;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Retries cannot kill the channel: 100 of 500 records written at once fail twice and then succeed. The
 * connector's unprocessed-record watchdog is set to 10 s here; retried one record at a time (200 ms +
 * 400 ms each) the batch would hold its records for a minute and the watchdog would fail the channel.
 * Retried in rounds, the batch waits 600 ms in all: every record is processed exactly once, in
 * partition order, and the channel stays up.
 */
@QuarkusTest
@TestProfile(RetryRoundsTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class RetryRoundsTest {

    static final String TOPIC = "retry-rounds";
    private static final int RECORDS = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "retry-rounds-group",
                    Map.of("mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms", "10000"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // One partition, so that partition order is the order of the whole run.
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InstanceName instanceName;

    private ScriptedEnricher enricher;

    @BeforeEach
    void installScriptedEnricher() {
        enricher = new ScriptedEnricher(instanceName);
        QuarkusMock.installMockForType(enricher, EventEnricher.class);
    }

    @Test
    void aBurstOfRetriesKeepsTheChannelUpAndEveryRecordIsProcessedOnceInOrder() {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < RECORDS; i++) {
            String id = "rr-" + i;
            ids.add(id);
            String type = i % 5 == 0 ? "flaky" : "fine";
            String value = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"payload\":" + i + "}";
            records.add(new ProducerRecord<>(TOPIC, 0, "k", value));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.awaitIds(companion, TOPIC + "-processed", ids, TIMEOUT);

        assertThat(processed).as("each record exactly once").hasSize(RECORDS);
        assertThat(processed)
                .extracting(record ->
                        TopicRecords.json(record).path("source").path("offset").asLong())
                .as("partition order")
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(enricher.attempts().entrySet())
                .filteredOn(e -> Integer.parseInt(e.getKey().substring(3)) % 5 == 0)
                .hasSize(RECORDS / 5)
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(3));
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
