package io.eventprocessor.partitions;

import static io.restassured.RestAssured.given;
import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.GroupMember;
import io.eventprocessor.support.InProcessKafkaResource;
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
            return Map.of(
                    "processor.topics.events", TOPIC,
                    "processor.topics.processed", TOPIC + "-processed",
                    "mp.messaging.incoming.events-in.group.id", GROUP,
                    "processor.partitions.check-interval", "300ms");
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
            expected.addAll(writeInto(partition, "leaving"));
            leaving.leave();
        }
        awaitMembers(1);

        try (GroupMember dying = GroupMember.join(GROUP, TOPIC, "consumer", "dying-member", Map.of())) {
            int partition = awaitOwnedBy(dying);
            expected.addAll(writeInto(partition, "dying"));
            dying.die();
        }
        awaitMembers(1);

        List<ConsumerRecord<String, String>> processed = TopicRecords.awaitIds(companion, TOPIC + "-processed", expected, TIMEOUT);
        assertThat(processed).extracting(record -> TopicRecords.json(record).path("processedBy").asText())
                .containsOnly(InProcessKafkaResource.INSTANCE_ID);
        assertThat(given().get("/partitions").<List<String>> path("unowned")).isEmpty();
    }

    /** Waits until the member holds a partition and the service's view shows it as that partition's owner. */
    private int awaitOwnedBy(GroupMember member) {
        Awaitility.await(member.clientId() + " owns a partition").atMost(TIMEOUT).until(() -> !member.assignment().isEmpty());
        int partition = member.assignment().stream().mapToInt(TopicPartition::partition).findFirst().orElseThrow();
        Awaitility.await("the view shows " + member.clientId()).atMost(TIMEOUT).untilAsserted(() -> {
            Response view = given().get("/partitions");
            assertThat(view.<String> path("partitions.find { it.partition == " + partition + " }.owner.clientId"))
                    .isEqualTo(member.clientId());
            assertThat(view.<Integer> path("members")).isEqualTo(2);
            assertThat(view.<List<String>> path("unowned")).isEmpty();
        });
        given().get("/q/health/live").then().statusCode(200);
        return partition;
    }

    private List<String> writeInto(int partition, String prefix) {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            records.add(record(TOPIC, partition, null, "{\"id\":\"" + id + "\",\"type\":\"member\",\"payload\":" + i + "}"));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);
        return ids;
    }

    private static void awaitMembers(int count) {
        Awaitility.await(count + " member(s), every partition owned").atMost(TIMEOUT).untilAsserted(() -> {
            Response view = given().get("/partitions");
            assertThat(view.<Integer> path("members")).isEqualTo(count);
            assertThat(view.<List<String>> path("partitions")).hasSize(2);
            assertThat(view.<List<String>> path("unowned")).isEmpty();
        });
    }
}
