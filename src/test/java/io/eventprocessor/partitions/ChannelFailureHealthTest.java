package io.eventprocessor.partitions;

import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Readiness is this replica's own: when its consumer channel fails (here: a dead-letter topic that is
 * compacted refuses even the bounded dead letter of a keyless poison record, a configuration fault), the
 * replica leaves the Service (readiness DOWN, {@code channelsAlive} false) and liveness restarts it.
 */
@QuarkusTest
@TestProfile(ChannelFailureHealthTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class ChannelFailureHealthTest {

    static final String TOPIC = "channel-failure";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC, "channel-failure-group", Map.of("processor.topics.dead-letter", TOPIC + "-dlq"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    IsolatedTopics.class,
                    Map.of(TOPIC, "1", TOPIC + "-processed", "1", TOPIC + "-dlq", "1;cleanup.policy=compact")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aFailedChannelTakesTheReplicaOutOfTheService() {
        Awaitility.await("ready")
                .atMost(TIMEOUT)
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));

        companion
                .produceStrings()
                .fromRecords(KafkaCompanion.record(TOPIC, 0, null, "not an event"))
                .awaitCompletion(TIMEOUT);

        Awaitility.await("not ready")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(503)
                        .body(
                                "checks.find { it.name == 'kafka-group-membership' }.data.channelsAlive",
                                equalTo(false)));
        Management.given().get("/q/health/live").then().statusCode(503);
    }
}
