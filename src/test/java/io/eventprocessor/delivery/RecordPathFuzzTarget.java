package io.eventprocessor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.UnreadableEventException;
import io.eventprocessor.processing.EventEnricher;
import io.eventprocessor.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Any bytes a producer writes into the input topic, as value and as key, take the processor's path (read, processing
 * step, processed record) to a processed record that is valid JSON, or are refused cleanly: an
 * {@link UnreadableEventException} with a bounded reason, which sends the record to the dead-letter topic. Never
 * another exception, which would stop the partition. Seeds: {@code src/test/resources/fuzz/record-path/}.
 */
public final class RecordPathFuzzTarget {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final ProcessorConfig CONFIG = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private static final EventReader READER = new EventReader(MAPPER);
    private static final EventEnricher ENRICHER =
            new EventEnricher(new InstanceName("fuzz"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    private static final OutputRecords RECORDS = new OutputRecords(
            MAPPER,
            new OutputTopics("events-processed", "events-dlq"),
            ConsumedTopics.listed(List.of("events")),
            new TraceHeaders(OpenTelemetry.noop()));

    private RecordPathFuzzTarget() {}

    /** The check for one input; Jazzer's driver calls it by this name ({@code io.eventprocessor.FuzzingRunTest}). */
    public static void fuzzerTestOneInput(byte[] value) throws Exception {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events", 0, 42, key(value), value);
        Event event;
        try {
            event = READER.readRecord(value);
        } catch (UnreadableEventException refused) {
            assertThat(refused.getMessage())
                    .as("reason")
                    .doesNotStartWith("not readable as JSON:")
                    .hasSizeLessThan(20_000);
            ProducerRecord<byte[], byte[]> deadLetter = RECORDS.deadLetter(record, refused);
            assertThat(deadLetter.value()).isSameAs(value);
            return;
        }
        assertThat(event.type()).isNotBlank();
        ProducerRecord<byte[], byte[]> processed = RECORDS.processed(record, ENRICHER.enrich(event, record));
        MAPPER.readTree(processed.value());
    }

    /** The first bytes of the value as a key too, so keys are fuzzed as well. */
    private static byte[] key(byte[] value) {
        return value.length == 0 ? null : Arrays.copyOf(value, Math.min(value.length, 8));
    }
}
