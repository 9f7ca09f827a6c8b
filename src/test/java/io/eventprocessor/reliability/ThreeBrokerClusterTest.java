package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.RestLoad;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Replication factor 3, {@code min.insync.replicas=2}, producers with {@code acks=all} and idempotence:
 * one of the three brokers stops mid-stream (leaders, the group coordinator and controllers fail over)
 * and no accepted record is lost; processing goes on.
 */
@QuarkusTest
@WithTestResource(ThreeBrokerClusterResource.class)
class ThreeBrokerClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TestHTTPResource("/events")
    URL eventsUrl;

    @Test
    void losingOneBrokerOfThreeLosesNoRecord() throws Exception {
        Set<String> expected = new HashSet<>();
        try (KafkaCompanion companion = new KafkaCompanion(ThreeBrokerClusterResource.bootstrapServers())) {
            try (RestLoad load = RestLoad.start(URI.create(eventsUrl.toString()), "cluster", Duration.ofMillis(10))) {
                load.awaitMore(100, TIMEOUT);
                expected.addAll(IsolatedPipeline.writeStraightInto(companion, "events", 0, "cluster-before", 50));

                ThreeBrokerClusterResource.stopNode(1);

                expected.addAll(IsolatedPipeline.writeStraightInto(companion, "events", 1, "cluster-after", 50));
                load.awaitMore(200, TIMEOUT);
                expected.addAll(load.ids());
                System.out.printf(
                        "ThreeBrokerClusterTest: %d accepted, %d refused during the failover%n",
                        load.ids().size(), load.refused());
                assertThat(load.refused())
                        .as("requests refused with 503 during the failover")
                        .isZero();
            }
            TopicRecords.awaitIds(companion, "events-processed", expected, TIMEOUT);
        }
    }
}
