package io.eventprocessor.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** {@code POST /events} through topic {@code events} and the processor to {@code events-processed}. */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class EventResourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void singleEventIsStoredThenProcessedAtTheAnsweredPosition() {
        String id = "single-" + UUID.randomUUID();
        Response response = post("{\"id\":\"" + id + "\",\"type\":\"order.created\",\"payload\":{\"total\":42}}");

        response.then().statusCode(202);
        int partition = response.path("accepted[0].partition");
        long offset = ((Number) response.path("accepted[0].offset")).longValue();
        assertThat((String) response.path("accepted[0].id")).isEqualTo(id);

        ConsumerRecord<String, String> stored = TopicRecords.await(
                        companion, "events", TopicRecords.hasField("id", id), 1, TIMEOUT)
                .get(0);
        assertThat(stored.partition()).isEqualTo(partition);
        assertThat(stored.offset()).isEqualTo(offset);

        JsonNode processed = TopicRecords.json(
                TopicRecords.await(companion, "events-processed", TopicRecords.hasField("id", id), 1, TIMEOUT)
                        .get(0));
        assertThat(processed.path("type").asText()).isEqualTo("order.created");
        assertThat(processed.path("payload").path("total").asInt()).isEqualTo(42);
        assertThat(processed.path("source").path("topic").asText()).isEqualTo("events");
        assertThat(processed.path("source").path("partition").asInt()).isEqualTo(partition);
        assertThat(processed.path("source").path("offset").asLong()).isEqualTo(offset);
        assertThat(processed.path("processedAt").asText()).isNotBlank();
        assertThat(processed.path("processedBy").asText()).isEqualTo(InProcessKafkaResource.INSTANCE_ID);
    }

    @Test
    void batchIsAcceptedInOrderAndEveryEventProcessed() {
        String type = "batch-" + UUID.randomUUID();
        Response response = post("[{\"type\":\"" + type + "\",\"payload\":1},"
                + "{\"type\":\"" + type + "\",\"payload\":2},"
                + "{\"type\":\"" + type + "\",\"payload\":3}]");

        response.then().statusCode(202);
        List<String> ids = response.path("accepted.id");
        assertThat(ids).hasSize(3).doesNotContainNull().doesNotHaveDuplicates();

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.await(companion, "events-processed", TopicRecords.hasField("type", type), 3, TIMEOUT);
        assertThat(processed)
                .extracting(record -> TopicRecords.json(record).path("id").asText())
                .containsExactlyInAnyOrderElementsOf(ids);
        for (int i = 0; i < 3; i++) {
            String id = ids.get(i);
            JsonNode event = processed.stream()
                    .map(TopicRecords::json)
                    .filter(node -> node.path("id").asText().equals(id))
                    .findFirst()
                    .orElseThrow();
            assertThat(event.path("source").path("partition").asInt())
                    .isEqualTo((int) response.path("accepted[" + i + "].partition"));
            assertThat(event.path("source").path("offset").asLong())
                    .isEqualTo(((Number) response.path("accepted[" + i + "].offset")).longValue());
            assertThat(event.path("payload").asInt()).isEqualTo(i + 1);
        }
    }

    @Test
    void keylessEventsLandOnEveryPartition() {
        String type = "keyless-" + UUID.randomUUID();
        String batch = IntStream.range(0, 2 * InProcessKafkaResource.EVENTS_PARTITIONS)
                .mapToObj(i -> "{\"type\":\"" + type + "\",\"payload\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));

        Response response = post(batch);

        response.then().statusCode(202);
        List<Integer> partitions = response.path("accepted.partition");
        assertThat(Set.copyOf(partitions)).containsExactlyInAnyOrder(0, 1, 2);
        TopicRecords.await(
                companion, "events-processed", TopicRecords.hasField("type", type), partitions.size(), TIMEOUT);
    }

    @Test
    void keyedEventsKeepTheirOrder() {
        String key = "customer-" + UUID.randomUUID();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add("{\"key\":\"" + key + "\",\"type\":\"step\",\"payload\":" + i + "}");
        }

        Response response = post(String.join(",", events).transform(body -> "[" + body + "]"));

        response.then().statusCode(202);
        List<Integer> partitions = response.path("accepted.partition");
        assertThat(Set.copyOf(partitions)).hasSize(1);
        List<Long> offsets = response.<List<Number>>path("accepted.offset").stream()
                .map(Number::longValue)
                .toList();
        assertThat(offsets).isSorted().doesNotHaveDuplicates();

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.await(companion, "events-processed", record -> key.equals(record.key()), 20, TIMEOUT);
        assertThat(processed)
                .extracting(record -> TopicRecords.json(record).path("payload").asInt())
                .containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
    }

    private static Response post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/events");
    }
}
