package io.eventprocessor.processing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
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
 * A slow processing step (400 ms a record, 30 records in one batch: 12 s before the batch commits) with a stall
 * timeout of 3 s: the committed offset stands still four times as long as the timeout, but records keep going
 * through the step, so the partition is never stalled, liveness stays UP all along, and every record is processed.
 */
@QuarkusTest
@TestProfile(SlowProcessingStepTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class SlowProcessingStepTest {

    static final String TOPIC = "slow-step";
    private static final Duration STEP = ScriptedEnricher.SLOW_STEP;
    private static final int RECORDS = 30;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "slow-step-group",
                    Map.of(
                            "processor.partitions.stall-timeout", "3s",
                            "processor.batch-size", String.valueOf(RECORDS),
                            "mp.messaging.incoming.events-in.auto.commit.interval.ms", "200"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InstanceName instanceName;

    @BeforeEach
    void installScriptedEnricher() {
        QuarkusMock.installMockForType(new ScriptedEnricher(instanceName), EventEnricher.class);
    }

    @Test
    void aSlowStepThatMovesIsNeverStalled() {
        Awaitility.await("joined")
                .atMost(Duration.ofSeconds(45))
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        Set<String> ids = writeSlowEvents();

        Awaitility.await("liveness UP while the batch takes " + STEP.multipliedBy(RECORDS))
                .during(STEP.multipliedBy(RECORDS - 2))
                .atMost(STEP.multipliedBy(RECORDS * 2))
                .untilAsserted(
                        () -> Management.given().get("/q/health/live").then().statusCode(200));
        TopicRecords.awaitIds(companion, TOPIC + "-processed", ids, STEP.multipliedBy(RECORDS * 3));
    }

    /** {@link #RECORDS} events of type {@code slow}, sent together so that one poll takes them all; their ids. */
    private Set<String> writeSlowEvents() {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < RECORDS; i++) {
            String id = "slow-" + i;
            ids.add(id);
            records.add(new ProducerRecord<>(
                    TOPIC, 0, null, "{\"id\":\"" + id + "\",\"type\":\"slow\",\"payload\":" + i + "}"));
        }
        companion
                .produceStrings()
                .withProp("linger.ms", 100)
                .fromRecords(records)
                .awaitCompletion();
        return ids;
    }
}
