package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.GroupMember;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A second member joins the service's group (consumer protocol): its partitions count as owned. When
 * it leaves, or dies without leaving, its partitions move back to the service and every record
 * written to them meanwhile is processed by the service: the member never committed, so nothing it
 * read is lost.
 */
@QuarkusTest
@TestProfile(SecondMemberTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class SecondMemberTest {

    static final String TOPIC = "members-topic";
    static final String GROUP = "members-app";
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(TOPIC, GROUP, Map.of());
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void partitionsOfAMemberThatLeavesOrDiesMoveToTheServiceAndNothingIsLost() {
        companion.topics().create(Map.of(TOPIC, 2, TOPIC + "-processed", 1));
        awaitMembers(1);

        Set<String> expected = new HashSet<>();
        try (GroupMember leaving = GroupMember.join(GROUP, TOPIC, "consumer", "leaving-member", Map.of())) {
            int partition = awaitOwnedBy(leaving);
            expected.addAll(IsolatedPipeline.writeStraightInto(companion, TOPIC, partition, "leaving", 10));
            leaving.leave();
        }
        awaitMembers(1);

        try (GroupMember dying = GroupMember.join(GROUP, TOPIC, "consumer", "dying-member", Map.of())) {
            int partition = awaitOwnedBy(dying);
            expected.addAll(IsolatedPipeline.writeStraightInto(companion, TOPIC, partition, "dying", 10));
            dying.die();
        }
        awaitMembers(1);

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.awaitIds(companion, TOPIC + "-processed", expected, TIMEOUT);
        assertThat(processed)
                .extracting(
                        record -> TopicRecords.json(record).path("processedBy").asText())
                .containsOnly(InProcessKafkaResource.INSTANCE_ID);
        assertThat(Management.given().get("/partitions").<List<String>>path("unowned"))
                .isEmpty();
    }

    /** Waits until the member holds a partition and the service's view shows it as that partition's owner. */
    private int awaitOwnedBy(GroupMember member) {
        Awaitility.await(member.clientId() + " owns a partition")
                .atMost(TIMEOUT)
                .until(() -> !member.assignment().isEmpty());
        int partition = member.assignment().stream()
                .mapToInt(TopicPartition::partition)
                .findFirst()
                .orElseThrow();
        Awaitility.await("the view shows " + member.clientId()).atMost(TIMEOUT).untilAsserted(() -> {
            Response view = Management.given().get("/partitions");
            assertThat(view.<String>path("partitions.find { it.partition == " + partition + " }.owner.clientId"))
                    .isEqualTo(member.clientId());
            assertThat(view.<Integer>path("members")).isEqualTo(2);
            assertThat(view.<List<String>>path("unowned")).isEmpty();
        });
        Management.given().get("/q/health/live").then().statusCode(200);
        return partition;
    }

    private static void awaitMembers(int count) {
        Awaitility.await(count + " member(s), every partition owned")
                .atMost(TIMEOUT)
                .untilAsserted(() -> {
                    Response view = Management.given().get("/partitions");
                    assertThat(view.<Integer>path("members")).isEqualTo(count);
                    assertThat(view.<List<String>>path("partitions")).hasSize(2);
                    assertThat(view.<List<String>>path("unowned")).isEmpty();
                });
    }
}
