package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.RestLoad;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The problem this service solves, as a test: the group starts with {@code auto.offset.reset=latest},
 * events are posted continuously, the topic grows 1 → 2 → 3 partitions while consuming, and records
 * are written straight into each new partition the moment it exists. Every record must be processed.
 * Subclasses run it for each group protocol and assignor (each with its own topic and group).
 */
abstract class PartitionGrowthTestBase {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int DIRECT_RECORDS_PER_PARTITION = 10;

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @ConfigProperty(name = "processor.topics.events")
    String topic;

    @ConfigProperty(name = "processor.topics.processed")
    String processedTopic;

    @TestHTTPResource("/events")
    URL eventsUrl;

    @Test
    void noRecordIsLostWhileTheTopicGrowsFromOneToThreePartitions() throws Exception {
        companion.topics().create(Map.of(topic, 1, processedTopic, 1));
        awaitEveryPartitionOwned(1);

        Set<String> expected = new HashSet<>();
        try (RestLoad load = RestLoad.start(URI.create(eventsUrl.toString()), "growth", Duration.ofMillis(20))) {
            load.awaitMore(20, TIMEOUT);
            for (int count = 2; count <= 3; count++) {
                int newPartition = count - 1;
                IsolatedPipeline.growTopic(companion, topic, count);
                expected.addAll(IsolatedPipeline.writeStraightInto(
                        companion,
                        topic,
                        newPartition,
                        topic + "-direct-" + newPartition,
                        DIRECT_RECORDS_PER_PARTITION));
                awaitEveryPartitionOwned(count);
                Awaitility.await("keyless POSTs reach " + topic + "-" + newPartition)
                        .atMost(TIMEOUT)
                        .until(() -> load.partitions().contains(newPartition));
            }
            load.awaitMore(20, TIMEOUT);
            expected.addAll(load.ids());
        }

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.awaitIds(companion, processedTopic, expected, TIMEOUT);
        assertThat(processed)
                .extracting(record -> TopicRecords.json(record)
                        .path("source")
                        .path("partition")
                        .asInt())
                .contains(0, 1, 2);
        assertThat(PrometheusScrape.require("event_processor_partition_pickup_seconds_count", Map.of("topic", topic)))
                .as(
                        "one pickup per partition that appeared while the service ran: all three, the topic is created after "
                                + "start-up")
                .isEqualTo(3);
        Response view = Management.given().get("/partitions");
        assertThat(view.<List<String>>path("newPartitions.name"))
                .as("the partition page's new partitions")
                .containsExactlyInAnyOrder(topic + "-0", topic + "-1", topic + "-2");
        assertThat(view.<List<Float>>path("newPartitions.pickupSeconds"))
                .as("their pickup times")
                .hasSize(3)
                .allSatisfy(seconds -> assertThat(seconds).isNotNull().isBetween(0f, (float) TIMEOUT.toSeconds()));
    }

    private void awaitEveryPartitionOwned(int count) {
        Awaitility.await(count + " partitions of " + topic + " owned")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Response view = Management.given().get("/partitions");
                    assertThat(view.<List<String>>path("partitions.findAll { it.topic == '" + topic + "' }.topic"))
                            .hasSize(count);
                    assertThat(view.<List<String>>path("unowned")).isEmpty();
                });
    }
}
