package io.eventprocessor.partitions;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.processing.EventEnricher;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PrometheusScrape;
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
 * A partition that is owned but does not move: the processing step hangs on one record of partition 1,
 * so its committed offset stays put while records wait behind it. Past
 * {@code processor.partitions.stall-timeout} the liveness of its owner (this replica) goes DOWN naming
 * it with owner, lag and committed offset; partition 0, idle, is never named. Once the step returns the
 * partition moves and liveness is UP again.
 */
@QuarkusTest
@TestProfile(StalledPartitionHealthTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class StalledPartitionHealthTest {

    static final String TOPIC = "stalled";
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "stalled-group",
                    Map.of(
                            "processor.partitions.stall-timeout", "3s",
                            "mp.messaging.incoming.events-in.auto.commit.interval.ms", "200"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // Two partitions, so that one can hang while the other stays idle.
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "2", TOPIC + "-processed", "1")));
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

    @AfterEach
    void release() {
        enricher.release();
    }

    @Test
    void onlyTheStalledPartitionIsNamedAndItsOwnerGoesDown() {
        Awaitility.await("joined")
                .atMost(TIMEOUT)
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        companion
                .produceStrings()
                .fromRecords(
                        record(TOPIC, 1, "k", "{\"id\":\"stall-hang\",\"type\":\"hang\",\"payload\":1}"),
                        record(TOPIC, 1, "k", "{\"id\":\"stall-behind\",\"type\":\"fine\",\"payload\":2}"))
                .awaitCompletion(TIMEOUT);

        Awaitility.await("stalled partition reported")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/live")
                        .then()
                        .statusCode(503)
                        .body(
                                "checks.find { it.name == 'partition-ownership' }.data.stalledHere",
                                allOf(
                                        containsString(TOPIC + "-1 (owner "),
                                        containsString("lag 2"),
                                        containsString("committed 0"),
                                        not(containsString(TOPIC + "-0"))))
                        .body(
                                "checks.find { it.name == 'partition-ownership' }.data.unownedPastGracePeriod",
                                equalTo(null)));
        assertThat(PrometheusScrape.require("event_processor_lag", Map.of("topic", TOPIC)))
                .as("the group's lag")
                .isEqualTo(2);

        enricher.release();
        TopicRecords.awaitIds(companion, TOPIC + "-processed", Set.of("stall-hang", "stall-behind"), TIMEOUT);
        Awaitility.await("moving again")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/live")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'partition-ownership' }.data.stalledHere", equalTo("none")));
        Awaitility.await("lag gone")
                .atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(PrometheusScrape.require("event_processor_lag", Map.of("topic", TOPIC)))
                        .isZero());
    }
}
