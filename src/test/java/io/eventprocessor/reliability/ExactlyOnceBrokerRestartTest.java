package io.eventprocessor.reliability;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code processor.delivery=exactly-once} across a broker restart mid-stream: the broker stops while batches
 * are being processed (transactions open), stays down for several seconds and comes back on the same port and
 * data. The open transactions complete or are aborted and written again; a {@code read_committed} reader sees
 * every record's output once, and the channel stays up (liveness UP).
 */
@QuarkusTest
@TestProfile(ExactlyOnceBrokerRestartTest.Profile.class)
@WithTestResource(RestartableBrokerResource.class)
class ExactlyOnceBrokerRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(IsolatedPipeline.FAST_OWNERSHIP_CHECKS);
            config.put("processor.delivery", "exactly-once");
            return config;
        }
    }

    @Test
    void everyRecordIsProcessedOnceAcrossABrokerRestart() throws Exception {
        BrokerRestartTest.awaitBroker(true);
        Set<String> expected = new HashSet<>();
        try (KafkaCompanion before = RestartableBrokerResource.companion()) {
            expected.addAll(IsolatedPipeline.writeStraightInto(before, "events", 0, "eos-before-0", 1500));
            expected.addAll(IsolatedPipeline.writeStraightInto(before, "events", 1, "eos-before-1", 1500));
        }
        RestartableBrokerResource.stopBroker();
        BrokerRestartTest.awaitBroker(false);
        Thread.sleep(OUTAGE.toMillis());
        RestartableBrokerResource.startBroker();
        BrokerRestartTest.awaitBroker(true);

        try (KafkaCompanion after = RestartableBrokerResource.companion()) {
            expected.addAll(IsolatedPipeline.writeStraightInto(after, "events", 1, "eos-after", 200));
            List<ConsumerRecord<String, String>> processed = TopicRecords.assertEachIdOnce(
                    after, "event-processor", "events", "events-processed", expected, TIMEOUT);
            System.out.printf(
                    "ExactlyOnceBrokerRestartTest: %d records, %d processed once%n", expected.size(), processed.size());
        }
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
