package io.eventprocessor.processing;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.ScriptedEnricher;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The processing step fails: a transient failure is retried until it succeeds; a persistent one is
 * retried {@code processor.processing.max-attempts} times (3) and then the record goes to the
 * dead-letter topic with the reason; the records after it on the same partition are processed.
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class ProcessingRetryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InstanceName instanceName;

    private ScriptedEnricher enricher;

    @BeforeEach
    void installScriptedEnricher() {
        enricher = new ScriptedEnricher(instanceName);
        QuarkusMock.installMockForType(enricher, EventEnricher.class);
    }

    @Test
    void transientFailuresAreRetriedAndPersistentOnesGoToTheDeadLetterTopic() {
        String run = UUID.randomUUID().toString();
        companion
                .produceStrings()
                .fromRecords(
                        record("events", 2, run, "{\"id\":\"" + run + "-flaky\",\"type\":\"flaky\",\"payload\":1}"),
                        record("events", 2, run, "{\"id\":\"" + run + "-broken\",\"type\":\"broken\",\"payload\":2}"),
                        record("events", 2, run, "{\"id\":\"" + run + "-after\",\"type\":\"fine\",\"payload\":3}"))
                .awaitCompletion(TIMEOUT);

        TopicRecords.awaitIds(companion, "events-processed", Set.of(run + "-flaky", run + "-after"), TIMEOUT);
        assertThat(enricher.attempts(run + "-flaky")).isEqualTo(3);

        ConsumerRecord<String, String> dead = TopicRecords.await(
                        companion, "events-dlq", r -> run.equals(r.key()), 1, TIMEOUT)
                .get(0);
        assertThat(TopicRecords.json(dead).path("id").asText()).isEqualTo(run + "-broken");
        assertThat(KafkaCompanion.getHeader(dead.headers(), "dead-letter-reason"))
                .contains("processing failed after 3 attempt(s)")
                .contains("downstream unavailable (attempt 3)");
        assertThat(enricher.attempts(run + "-broken")).isEqualTo(3);
    }
}
