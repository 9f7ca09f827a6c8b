package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * An upstream producer with transactions (Kafka Streams, Flink, Debezium with exactly-once) writes committed and
 * aborted transactions into the input topic: every committed record is processed once, no aborted one, and the
 * commit and abort markers past the group's last commit are not lag. With a stall timeout of 2 s, a quiet partition
 * whose end is a marker stays caught up (lag 0 in {@code GET /partitions} and the gauge) and liveness UP.
 */
@QuarkusTest
@TestProfile(TransactionalUpstreamTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
public class TransactionalUpstreamTest {

    private static final String TOPIC = "upstream-tx";
    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(2);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    topic(),
                    topic() + "-group",
                    Map.of(
                            "processor.partitions.stall-timeout",
                            STALL_TIMEOUT.toSeconds() + "s",
                            "processor.delivery",
                            delivery(),
                            "mp.messaging.incoming.events-in.auto.commit.interval.ms",
                            "200"));
        }

        protected String delivery() {
            return "at-least-once";
        }

        protected String topic() {
            return TOPIC;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(IsolatedTopics.class, Map.of(topic(), "2", topic() + "-processed", "1")));
        }
    }

    /** The input topic, as the profile names it. */
    protected String topic() {
        return TOPIC;
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    public void committedRecordsAreProcessedOnceAbortedNeverAndMarkersAreNotLag() {
        Awaitility.await("joined")
                .atMost(TIMEOUT)
                .untilAsserted(
                        () -> Management.given().get("/q/health/ready").then().statusCode(200));
        String run = UUID.randomUUID().toString();
        Set<String> committed = new HashSet<>();
        Set<String> aborted = new HashSet<>();
        try (KafkaProducer<String, String> producer = transactionalProducer(run)) {
            producer.initTransactions();
            committed.addAll(transaction(producer, run + "-first", 3, true));
            aborted.addAll(transaction(producer, run + "-aborted", 2, false));
            committed.addAll(transaction(producer, run + "-second", 3, true));
            aborted.addAll(transaction(producer, run + "-aborted-last", 2, false));
        }

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.awaitIdsCommitted(companion, topic() + "-processed", committed, TIMEOUT);
        assertThat(processed).as("processed records of committed transactions").hasSize(committed.size());

        Awaitility.await("lag 0 in GET /partitions and the gauge")
                .atMost(TIMEOUT)
                .untilAsserted(() -> {
                    Response view = Management.given().get("/partitions");
                    assertThat(view.<Integer>path("partitions.find { it.partition == 0 }.lag"))
                            .isZero();
                    assertThat(view.<Integer>path("partitions.find { it.partition == 0 }.endOffset"))
                            .as("end offset: 10 records and 4 markers")
                            .isEqualTo(14);
                    assertThat(PrometheusScrape.require("event_processor_lag", Map.of("topic", topic())))
                            .isZero();
                });
        Awaitility.await("liveness UP for three stall timeouts")
                .during(STALL_TIMEOUT.multipliedBy(3))
                .atMost(STALL_TIMEOUT.multipliedBy(3).plus(TIMEOUT))
                .untilAsserted(
                        () -> Management.given().get("/q/health/live").then().statusCode(200));
        assertThat(TopicRecords.readCommitted(companion, topic() + "-processed"))
                .extracting(record -> TopicRecords.json(record).path("id").asText())
                .as("no record of an aborted transaction processed")
                .doesNotContainAnyElementsOf(aborted)
                .as("each committed record once")
                .containsOnlyOnceElementsOf(committed);
    }

    private KafkaProducer<String, String> transactionalProducer(String run) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        companion.getBootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "upstream-" + run),
                new StringSerializer(),
                new StringSerializer());
    }

    /** One transaction of {@code count} events into partition 0, committed or aborted; their ids. */
    private List<String> transaction(KafkaProducer<String, String> producer, String prefix, int count, boolean commit) {
        List<String> ids = new ArrayList<>();
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            producer.send(new ProducerRecord<>(
                    topic(), 0, null, "{\"id\":\"" + id + "\",\"type\":\"upstream\",\"payload\":" + i + "}"));
        }
        producer.flush(); // an abort would drop records not sent yet: these reach the log, then the marker
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        return ids;
    }
}
