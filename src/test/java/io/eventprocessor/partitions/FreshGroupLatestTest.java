package io.eventprocessor.partitions;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.kafka.Channels;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A group that has never committed, started with {@code auto.offset.reset=latest}, does not replay the
 * records that were on the topic before it: the new-partition policy applies only to partitions that
 * are new to a group that already consumes the topic.
 */
@QuarkusTest
@TestProfile(FreshGroupLatestTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class FreshGroupLatestTest {

    static final String TOPIC = "fresh-topic";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC, "fresh-group", Map.of("mp.messaging.incoming.events-in.auto.offset.reset", "latest"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(HistoryBeforeStart.class));
        }
    }

    /** Writes "old" records to the topic before the application starts. */
    public static class HistoryBeforeStart implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            KafkaCompanion companion = InProcessKafkaResource.companion();
            companion.topics().create(Map.of(TOPIC, 2, TOPIC + "-processed", 1));
            companion.produceStrings().fromRecords(records("old")).awaitCompletion(TIMEOUT);
            return Map.of();
        }

        @Override
        public void stop() {
            // the topic goes with the test broker
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    KafkaClientService clients;

    @Test
    void newGroupOnLatestSkipsHistoryAndProcessesWhatComesAfter() {
        Awaitility.await("start offsets pinned for both partitions")
                .atMost(TIMEOUT)
                .untilAsserted(() -> {
                    Response view = Management.given().get("/partitions");
                    assertThat(view.<List<Integer>>path("partitions.committedOffset"))
                            .containsExactly(5, 5);
                });

        List<ProducerRecord<String, String>> fresh = records("new");
        companion.produceStrings().fromRecords(fresh).awaitCompletion(TIMEOUT);
        Set<String> freshIds = fresh.stream()
                .map(r -> TopicRecords.json(r.value()).path("id").asText())
                .collect(Collectors.toSet());

        TopicRecords.awaitIds(companion, TOPIC + "-processed", freshIds, TIMEOUT);
        List<String> processedIds = companion
                .consumeStrings()
                .fromTopics(TOPIC + "-processed", freshIds.size())
                .awaitCompletion(TIMEOUT)
                .getRecords()
                .stream()
                .map(r -> TopicRecords.json(r).path("id").asText())
                .toList();
        assertThat(processedIds).containsExactlyInAnyOrderElementsOf(freshIds).noneMatch(id -> id.startsWith("old-"));
    }

    @Test
    void theConsumerItselfNeverResetsToLatest() {
        // latest is the policy's to apply (above); whatever the policy cannot decide starts at earliest.
        Map<String, ?> consumer = clients.getConsumer(Channels.EVENTS_IN).configuration();
        assertThat(consumer.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).hasToString("earliest");
    }

    private static List<ProducerRecord<String, String>> records(String prefix) {
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(record(
                    TOPIC,
                    i % 2,
                    null,
                    "{\"id\":\"" + prefix + "-" + i + "\",\"type\":\"history\",\"payload\":" + i + "}"));
        }
        return records;
    }
}
