package io.eventprocessor.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Two instances with one name under {@code processor.delivery=exactly-once}: the second producer with the
 * instance's {@code transactional.id} fences the first, which stops with liveness DOWN naming the cause, and
 * commits nothing after it was fenced.
 */
@QuarkusTest
@TestProfile(TransactionalIdClashTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class TransactionalIdClashTest {

    static final String TOPIC = "eos-clash";
    static final String GROUP = "eos-clash-group";
    static final String INSTANCE = "clash-instance";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC, GROUP, Map.of("processor.delivery", "exactly-once", "processor.instance-id", INSTANCE));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aTwinWithTheSameTransactionalIdStopsTheServiceWithTheCauseAndNothingMoreIsCommitted() {
        List<String> before = IsolatedPipeline.writeStraightInto(companion, TOPIC, 0, "before-twin", 20);
        TopicRecords.assertEachIdOnce(companion, GROUP, TOPIC, TOPIC + "-processed", Set.copyOf(before), TIMEOUT);

        try (KafkaProducer<byte[], byte[]> twin = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        companion.getBootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        GROUP + "-" + INSTANCE),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            twin.initTransactions();
        }
        List<String> after = IsolatedPipeline.writeStraightInto(companion, TOPIC, 0, "after-twin", 20);

        await().atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/live")
                        .then()
                        .statusCode(503)
                        .body(containsString("every instance needs a name of its own")));
        assertThat(TopicRecords.readCommitted(companion, TOPIC + "-processed"))
                .extracting(record -> TopicRecords.json(record).path("id").asText())
                .as("read_committed output after the fencing")
                .doesNotContainAnyElementsOf(after)
                .containsAll(before);
    }
}
