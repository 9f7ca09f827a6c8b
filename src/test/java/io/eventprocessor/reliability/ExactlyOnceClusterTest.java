package io.eventprocessor.reliability;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code processor.delivery=exactly-once} on three brokers (replication factor 3, transaction state log
 * replicated, {@code min.insync.replicas=2}): one broker stops while batches are in flight (partition leaders,
 * the group and transaction coordinators may move) and a {@code read_committed} reader still sees every
 * record's output once.
 */
@QuarkusTest
@TestProfile(ExactlyOnceClusterTest.Profile.class)
@WithTestResource(ThreeBrokerClusterResource.class)
class ExactlyOnceClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("processor.delivery", "exactly-once");
        }
    }

    @Test
    void losingOneBrokerOfThreeMidStreamLosesAndDuplicatesNothing() {
        Set<String> expected = new HashSet<>();
        try (KafkaCompanion companion = new KafkaCompanion(ThreeBrokerClusterResource.bootstrapServers())) {
            for (int partition = 0; partition < 3; partition++) {
                expected.addAll(IsolatedPipeline.writeStraightInto(
                        companion, "events", partition, "eos-cluster-" + partition, 1000));
            }
            ThreeBrokerClusterResource.stopNode(1);
            expected.addAll(IsolatedPipeline.writeStraightInto(companion, "events", 1, "eos-cluster-after", 300));

            List<ConsumerRecord<String, String>> processed = TopicRecords.assertEachIdOnce(
                    companion, "event-processor", "events", "events-processed", expected, TIMEOUT);
            System.out.printf(
                    "ExactlyOnceClusterTest: %d records, %d processed once across the loss of a broker%n",
                    expected.size(), processed.size());
        }
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
