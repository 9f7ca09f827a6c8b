package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.RestLoad;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The broker stops mid-stream, stays down for several seconds and comes back on the same port and
 * data. While it is away {@code POST /events} answers a clean {@code 503} + {@code Retry-After} within the
 * ack timeout and the replica stays ready (in the Service) with the broker reported unreachable; afterwards
 * every accepted record, posted or written directly, is processed, and none is dead-lettered.
 */
@QuarkusTest
@TestProfile(BrokerRestartTest.Profile.class)
@WithTestResource(RestartableBrokerResource.class)
class BrokerRestartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Duration OUTAGE = Duration.ofSeconds(6);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(IsolatedPipeline.FAST_OWNERSHIP_CHECKS);
            config.put("processor.ingest.ack-timeout", "2s");
            return config;
        }
    }

    @TestHTTPResource("/events")
    URL eventsUrl;

    @Test
    void everyAcceptedRecordIsProcessedAcrossABrokerRestart() throws Exception {
        awaitBroker(true);
        Set<String> expected = new HashSet<>();
        try (KafkaCompanion before = RestartableBrokerResource.companion();
                RestLoad load = RestLoad.start(URI.create(eventsUrl.toString()), "restart", Duration.ofMillis(20))) {
            load.awaitMore(50, TIMEOUT);
            expected.addAll(IsolatedPipeline.writeStraightInto(before, "events", 0, "before-restart", 20));

            RestartableBrokerResource.stopBroker();
            load.awaitRefusals(2, TIMEOUT);
            // The replica stays in the Service: requests get 503 + Retry-After, not refused connections.
            awaitBroker(false);
            Thread.sleep(OUTAGE.toMillis());

            RestartableBrokerResource.startBroker();
            awaitBroker(true);
            load.awaitMore(50, TIMEOUT);
            assertThat(load.refused()).isPositive();
            expected.addAll(load.ids());
        }
        try (KafkaCompanion after = RestartableBrokerResource.companion()) {
            expected.addAll(IsolatedPipeline.writeStraightInto(after, "events", 1, "after-restart", 20));
            TopicRecords.awaitIds(after, "events-processed", expected, TIMEOUT);
            // An outage may pass: it blocks and retries, it never dead-letters (this broker is the test's own).
            assertThat(TopicRecords.endOffsetSum(after, "events-dlq", 1))
                    .as("records on events-dlq")
                    .isZero();
        }
    }

    /** Readiness stays UP; its data says whether the broker answers. */
    static void awaitBroker(boolean reachable) {
        Awaitility.await("broker reachable " + reachable)
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body(
                                "checks.find { it.name == 'kafka-group-membership' }.data.brokerReachable",
                                equalTo(reachable)));
    }
}
