package io.eventprocessor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.event.RawJson;
import io.eventprocessor.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;

/** Where each output goes: the topic of its input's outputs, and never a topic the processor reads. */
class OutputRecordsUnitTest {

    private final OutputRecords records = new OutputRecords(
            new ObjectMapper().registerModule(new JavaTimeModule()),
            new OutputTopics("{topic}-out", "{topic}-dlq"),
            ConsumedTopics.matching(Pattern.compile("t[0-9]+(-out)?")),
            new TraceHeaders(OpenTelemetry.noop()));

    @Test
    void aRecordRefusedAsTooLargeIsANeighboursVictimOnlyWhenItFitsItsTopicsKnownLimit() {
        ProducerRecord<byte[], byte[]> small =
                new ProducerRecord<>("t7-out", "key".getBytes(StandardCharsets.UTF_8), new byte[100]);
        ProducerRecord<byte[], byte[]> large =
                new ProducerRecord<>("t7-out", "key".getBytes(StandardCharsets.UTF_8), new byte[2_000]);

        assertThat(OutputRecords.fitsItsTopic(small, OptionalInt.of(1_000)))
                .as("sent again as it is")
                .isTrue();
        assertThat(OutputRecords.fitsItsTopic(large, OptionalInt.of(1_000)))
                .as("too large itself: its fallback")
                .isFalse();
        assertThat(OutputRecords.fitsItsTopic(small, OptionalInt.empty()))
                .as("limit unknown: taken as refused for good, as before")
                .isFalse();
    }

    @Test
    void eachOutputGoesToTheTopicsOfItsInput() {
        ConsumerRecord<byte[], byte[]> source = source("t7");

        assertThat(records.deadLetter(source, new IllegalArgumentException("unreadable"))
                        .topic())
                .isEqualTo("t7-dlq");
        assertThat(records.processedTopic(source)).isEqualTo("t7-out");
    }

    @Test
    void aProcessedRecordWhoseTopicIsConsumedIsRefusedSoThatItGoesToTheDeadLetterTopic() {
        assertThatThrownBy(() -> records.processed(source("t1"), event()))
                .isInstanceOf(OutputRejectedException.class)
                .hasMessage("the processed topic t1-out of t1 is consumed too (topics matching t[0-9]+(-out)?): the "
                        + "processor would read its own output");
    }

    private static ConsumerRecord<byte[], byte[]> source(String topic) {
        return new ConsumerRecord<>(topic, 0, 5L, null, "{\"type\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    }

    private static ProcessedEvent event() {
        return new ProcessedEvent(
                "e", null, "t", new RawJson("{}"), new ProcessedEvent.Source("t1", 0, 5L), Instant.EPOCH, "test");
    }
}
