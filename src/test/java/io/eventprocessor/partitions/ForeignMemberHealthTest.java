package io.eventprocessor.partitions;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.GroupMember;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PrometheusScrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A consumer started by hand in the service's group (another client id) takes a partition and never
 * commits: it is reported as a foreign member (liveness data, gauge), its partition is reported as
 * stalled elsewhere, and this replica stays live: restarting it could not heal that partition.
 */
@QuarkusTest
@TestProfile(ForeignMemberHealthTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class ForeignMemberHealthTest {

    static final String TOPIC = "foreign";
    static final String GROUP = "foreign-group";
    private static final Duration TIMEOUT = Duration.ofSeconds(45);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    GROUP,
                    Map.of(
                            "processor.partitions.stall-timeout", "3s",
                            "mp.messaging.incoming.events-in.auto.commit.interval.ms", "200"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            // Two partitions: one for the replica, one for the member started by hand.
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "2", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aMemberStartedByHandIsReportedAndRestartsNobody() {
        Awaitility.await("joined")
                .atMost(TIMEOUT)
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        try (GroupMember byHand = GroupMember.join(GROUP, TOPIC, "consumer", "console-consumer-by-hand", Map.of())) {
            Awaitility.await("the hand-started member owns a partition")
                    .atMost(TIMEOUT)
                    .until(() -> byHand.assignment().size() == 1);
            TopicPartition its = byHand.assignment().iterator().next();
            companion
                    .produceStrings()
                    .fromRecords(record(TOPIC, its.partition(), "k", "{\"type\":\"t\",\"payload\":1}"))
                    .awaitCompletion(TIMEOUT);

            Awaitility.await("reported, nobody restarted")
                    .atMost(TIMEOUT)
                    .untilAsserted(() -> Management.given()
                            .get("/q/health/live")
                            .then()
                            .statusCode(200)
                            .body(
                                    "checks.find { it.name == 'partition-ownership' }.data.foreignMembers",
                                    containsString("client console-consumer-by-hand"))
                            .body(
                                    "checks.find { it.name == 'partition-ownership' }.data.stalledElsewhere",
                                    allOf(
                                            containsString(its.toString() + " (owner "),
                                            containsString("client console-consumer-by-hand")))
                            .body(
                                    "checks.find { it.name == 'partition-ownership' }.data.stalledHere",
                                    equalTo("none")));
            assertThat(PrometheusScrape.value("event_processor_group_foreign_members", Map.of("group", GROUP)))
                    .hasValue(1.0);
        }
    }
}
