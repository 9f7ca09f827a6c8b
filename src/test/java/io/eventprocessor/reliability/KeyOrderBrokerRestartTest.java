package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PartitionerKeys;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A broker restarted while a moved key is held changes nothing: {@code events} grows from 2 to 4 partitions, a key's
 * first records go to its old partition behind a backlog, its next ones to its new partition, where they are held;
 * the broker stops and comes back on the same port and data during the hold. Every record is processed, none is
 * dead-lettered, and the key's records come out in the order written.
 */
@QuarkusTest
@TestProfile(KeyOrderBrokerRestartTest.Profile.class)
@WithTestResource(RestartableBrokerResource.class)
class KeyOrderBrokerRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int BACKLOG = 2_000;
    private static final int KEY_RECORDS = 20;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(IsolatedPipeline.FAST_OWNERSHIP_CHECKS);
            // The hold lasts at least this long after the growth is seen: long enough for the outage to fall in it.
            config.put("processor.key-order.producer-refresh", "20s");
            return config;
        }
    }

    @Test
    void aHeldKeyKeepsItsOrderAndNothingIsLostAcrossABrokerRestart() throws Exception {
        BrokerRestartTest.awaitBroker(true);
        String key = new String(PartitionerKeys.keyOn(new int[] {2, 4}, 1, 3), StandardCharsets.UTF_8);
        Set<String> expected = new HashSet<>();
        try (KafkaCompanion before = RestartableBrokerResource.companion()) {
            IsolatedPipeline.growTopic(before, "events", 4);
            awaitPartitionsOwned(4);
            expected.addAll(IsolatedPipeline.writeStraightInto(before, "events", 1, "backlog", BACKLOG));
            List<ProducerRecord<String, String>> keyed = new ArrayList<>();
            for (int seq = 0; seq < KEY_RECORDS; seq++) {
                // The first half where a producer not yet refreshed writes it, the rest where the key now goes.
                int partition = seq < KEY_RECORDS / 2 ? 1 : 3;
                String id = "moved-" + seq;
                expected.add(id);
                keyed.add(KafkaCompanion.record(
                        "events",
                        partition,
                        key,
                        "{\"id\":\"" + id + "\",\"type\":\"moved\",\"payload\":" + seq + "}"));
            }
            before.produceStrings().fromRecords(keyed).awaitCompletion(TIMEOUT);
            Awaitility.await("the key held on partition 3")
                    .atMost(TIMEOUT)
                    .until(() -> Management.given()
                            .get("/partitions")
                            .then()
                            .extract()
                            .jsonPath()
                            .getList("heldForOrder.partition", Integer.class)
                            .contains(3));
        }

        RestartableBrokerResource.stopBroker();
        BrokerRestartTest.awaitBroker(false);
        RestartableBrokerResource.startBroker();
        BrokerRestartTest.awaitBroker(true);

        try (KafkaCompanion after = RestartableBrokerResource.companion()) {
            List<ConsumerRecord<String, String>> outputs =
                    TopicRecords.awaitIds(after, "events-processed", expected, TIMEOUT);
            List<Integer> keySequence = new ArrayList<>();
            Set<Integer> seen = new HashSet<>();
            for (ConsumerRecord<String, String> output : outputs) {
                String id = TopicRecords.json(output).path("id").asText();
                if (id.startsWith("moved-") && seen.add(Integer.parseInt(id.substring("moved-".length())))) {
                    keySequence.add(Integer.parseInt(id.substring("moved-".length())));
                }
            }
            assertThat(keySequence)
                    .as("the key's records, first outputs in order")
                    .isSorted();
            assertThat(TopicRecords.endOffsetSum(after, "events-dlq", 1))
                    .as("records on events-dlq")
                    .isZero();
        }
    }

    private static void awaitPartitionsOwned(int partitions) {
        Awaitility.await(partitions + " partitions owned").atMost(TIMEOUT).until(() -> {
            var view = Management.given().get("/partitions").then().extract().jsonPath();
            return view.getList("partitions").size() == partitions
                    && view.getList("unowned").isEmpty();
        });
    }
}
