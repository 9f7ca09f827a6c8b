package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewPartitions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.GroupMember;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PrometheusScrape;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Liveness goes DOWN naming the partition that has had no owner past the grace period, and UP once it
 * is owned. The checked group is one the test drives with its own members, so ownership is exact: a
 * classic member with Kafka's default 5-minute metadata refresh does not see a new partition, which
 * therefore stays unowned until a fresh member takes over.
 */
@QuarkusTest
@TestProfile(UnownedPartitionHealthTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class UnownedPartitionHealthTest {

    static final String TOPIC = "health-topic";
    static final String GROUP = "health-probe";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Map<String, String> UNOWNED_GAUGE = Map.of("topic", TOPIC, "group", GROUP);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "health-app",
                    Map.of(
                            "processor.partitions.monitored-group",
                            GROUP,
                            "processor.partitions.unowned-grace-period",
                            "1s"));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void livenessNamesUnownedPartitionsPastTheGracePeriodAndRecoversOnceOwned() throws Exception {
        companion.topics().create(Map.of(TOPIC, 1, TOPIC + "-processed", 1));

        awaitLivenessDown(TOPIC + "-0");
        assertThat(PrometheusScrape.require("event_processor_partitions_unowned", UNOWNED_GAUGE))
                .isEqualTo(1);
        Management.given()
                .get("/q/health/live")
                .then()
                .body("checks.find { it.name == 'partition-ownership' }.data.members", equalTo(0));
        Management.given().get("/q/health/ready").then().statusCode(200);

        Map<String, Object> staleMetadata = Map.of("metadata.max.age.ms", 300_000);
        try (GroupMember first = GroupMember.join(GROUP, TOPIC, "classic", "first-member", staleMetadata)) {
            awaitLivenessUp();
            Management.given()
                    .get("/partitions")
                    .then()
                    .body(
                            "partitions.find { it.topic == '" + TOPIC + "' && it.partition == 0 }.owner.clientId",
                            equalTo("first-member"));

            companion
                    .getOrCreateAdminClient()
                    .createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(2)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            awaitLivenessDown(TOPIC + "-1");
            assertThat(PrometheusScrape.require("event_processor_partitions_unowned", UNOWNED_GAUGE))
                    .isEqualTo(1);
            assertThat(PrometheusScrape.require("event_processor_partitions", UNOWNED_GAUGE))
                    .isEqualTo(2);
            Management.given()
                    .get("/q/health/live")
                    .then()
                    .body(
                            "checks.find { it.name == 'partition-ownership' }.data.unownedPastGracePeriod",
                            not(containsString(TOPIC + "-0 ")));
            assertThat(Management.given().get("/partitions").<List<String>>path("unowned"))
                    .containsExactly(TOPIC + "-1");
        }

        try (GroupMember second = GroupMember.join(GROUP, TOPIC, "classic", "second-member", Map.of())) {
            awaitLivenessUp();
            assertThat(Management.given().get("/partitions").<List<String>>path("unowned"))
                    .isEmpty();
            assertThat(second.assignment()).hasSize(2);
            assertThat(PrometheusScrape.require("event_processor_partitions_unowned", UNOWNED_GAUGE))
                    .isZero();
        }
    }

    private static void awaitLivenessDown(String partition) {
        Awaitility.await(partition + " reported unowned")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/live")
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'partition-ownership' }.status", equalTo("DOWN"))
                        .body(
                                "checks.find { it.name == 'partition-ownership' }.data.unownedPastGracePeriod",
                                containsString(partition + " since "))
                        .body(
                                "checks.find { it.name == 'partition-ownership' }.data.restartTurn",
                                containsString("every replica: " + partition
                                        + " unowned past the grace period and no replica of "
                                        + "this service is in the group")));
    }

    private static void awaitLivenessUp() {
        Awaitility.await("every partition owned")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/live")
                        .then()
                        .statusCode(200)
                        .body("checks.find { it.name == 'partition-ownership' }.data.unowned", equalTo("none")));
    }
}
