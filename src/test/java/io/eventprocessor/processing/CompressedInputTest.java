package io.eventprocessor.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Another team's producer compresses its batches with any of Kafka's codecs: the processor reads them all (on the
 * JVM; docs/operations.md, Native image, says which codecs the native binary reads).
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class CompressedInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void recordsCompressedByAnotherProducerAreProcessed(String codec) {
        String run = codec + "-" + UUID.randomUUID();
        Set<String> ids = new HashSet<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = run + "-" + i;
            ids.add(id);
            records.add(new ProducerRecord<>(
                    "events",
                    i % InProcessKafkaResource.EVENTS_PARTITIONS,
                    null,
                    "{\"id\":\"" + id + "\",\"type\":\"compressed\",\"payload\":{\"text\":\"" + "abc".repeat(100)
                            + "\"}}"));
        }

        companion
                .produceStrings()
                .withProp(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec)
                .withProp(ProducerConfig.LINGER_MS_CONFIG, 50)
                .fromRecords(records)
                .awaitCompletion(TIMEOUT);

        assertThat(TopicRecords.awaitIds(companion, "events-processed", ids, TIMEOUT))
                .hasSize(ids.size());
    }
}
