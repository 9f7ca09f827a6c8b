package io.eventprocessor.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.delivery.ProcessedEventWriter;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.partitions.KeyOrderGate;
import io.eventprocessor.partitions.OwnershipFence;
import io.eventprocessor.partitions.PartitionPickup;
import io.eventprocessor.partitions.ProcessingProgress;
import io.eventprocessor.support.ScriptedEnricher;
import io.eventprocessor.tracing.TraceHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * The batch rules without a broker: retries go in rounds (every failed record of the batch waits out the
 * same back-off), outputs keep the batch's order, and an interrupt during a back-off aborts the batch
 * without a dead letter.
 */
class EventProcessorUnitTest {

    private static final TopicPartition PARTITION = new TopicPartition("events", 0);

    private final ProcessorConfig config = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withDefaultValue("processor.processing.retry-backoff", "20ms")
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private final RecordingWriter writer = new RecordingWriter(config);
    private final ScriptedEnricher enricher = new ScriptedEnricher(new InstanceName("unit"));
    private final EventProcessor processor = new EventProcessor(
            new EventReader(new ObjectMapper()),
            enricher,
            writer,
            config,
            new SimpleMeterRegistry(),
            new PartitionPickup(
                    new SimpleMeterRegistry(),
                    new OwnershipFence(),
                    ConsumedTopics.of(config.topics()),
                    Clock.systemUTC()),
            new ProcessingProgress(),
            new KeyOrderGate(config, new OwnershipFence(), Clock.systemUTC(), new SimpleMeterRegistry()),
            Clock.systemUTC());

    /** Keeps what the processor hands over for writing, in order. */
    private static final class RecordingWriter extends ProcessedEventWriter {

        final List<Output> written = new ArrayList<>();

        RecordingWriter(ProcessorConfig config) {
            super(
                    null,
                    new ObjectMapper(),
                    OutputTopics.of(config.topics()),
                    ConsumedTopics.of(config.topics()),
                    new TraceHeaders(OpenTelemetry.noop()),
                    new OwnershipFence(),
                    null);
        }

        @Override
        public Written writeAll(Batch batch) {
            List<Output> outputs = batch.outputs();
            written.addAll(outputs);
            return new Written(
                    (int) outputs.stream().filter(o -> o.processed() != null).count(),
                    (int) outputs.stream().filter(o -> o.processed() == null).count());
        }
    }

    private void process(ConsumerRecords<byte[], byte[]> records) {
        processor.process(records, new IncomingKafkaRecordBatchMetadata<>(records, "events-in", Map.of()));
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private static ConsumerRecords<byte[], byte[]> batch(String... types) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String value = "{\"id\":\"e" + i + "\",\"type\":\"" + types[i] + "\",\"payload\":" + i + "}";
            records.add(new ConsumerRecord<>(
                    PARTITION.topic(), PARTITION.partition(), i, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        return new ConsumerRecords<>(Map.of(PARTITION, records), Map.of());
    }

    @Test
    void failedRecordsAreRetriedTogetherAndWrittenInOrder() {
        String[] types = new String[500];
        for (int i = 0; i < types.length; i++) {
            types[i] = i % 5 == 0 ? "flaky" : "fine";
        }

        process(batch(types));

        assertThat(writer.written)
                .hasSize(500)
                .allSatisfy(output -> assertThat(output.processed()).isNotNull());
        assertThat(writer.written)
                .extracting(output -> output.source().offset())
                .containsExactlyElementsOf(LongStream.range(0, 500).boxed().toList());
        assertThat(enricher.attempts().entrySet())
                .filteredOn(e -> Integer.parseInt(e.getKey().substring(1)) % 5 == 0)
                .hasSize(100)
                .allSatisfy(e -> assertThat(e.getValue()).isEqualTo(3));
    }

    @Test
    void aRecordThatKeepsFailingIsDeadLetteredWithTheAttemptsItHad() {
        process(batch("fine", "broken", "fine"));

        assertThat(writer.written)
                .extracting(output -> output.processed() != null)
                .containsExactly(true, false, true);
        assertThat(writer.written.get(1).deadLetterReason())
                .isInstanceOf(ProcessingFailedException.class)
                .hasMessageStartingWith("processing failed after 3 attempt(s)")
                .hasMessageContaining("downstream unavailable (attempt 3)");
    }

    @Test
    void anInterruptDuringABackOffAbortsTheBatchWithoutDeadLetters() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> process(batch("fine", "flaky", "fine")))
                .isInstanceOf(BatchAbortedException.class)
                .hasMessageContaining("interrupted during a retry back-off");
        assertThat(writer.written).isEmpty();
        assertThat(enricher.attempts("e1")).isEqualTo(1);
    }
}
