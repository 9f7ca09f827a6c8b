package io.eventprocessor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.delivery.OutputWriter.Output;
import io.eventprocessor.delivery.OutputWriter.Written;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.event.RawJson;
import io.eventprocessor.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;

/** The fallback ladder against Kafka's {@link MockProducer}: each rung, and what fails the batch instead. */
class FallbackLadderUnitTest {

    private static final String PROCESSED = "events-processed";
    private static final String DEAD_LETTER = "events-dlq";

    private final FallbackLadder ladder = new FallbackLadder(new OutputRecords(
            new ObjectMapper().registerModule(new JavaTimeModule()),
            new OutputTopics(PROCESSED, DEAD_LETTER),
            ConsumedTopics.listed(List.of("events")),
            new TraceHeaders(OpenTelemetry.noop())));

    @Test
    void outputsTheBrokerStoresAreWrittenAsTheyAre() {
        RefusingProducer kafka = new RefusingProducer(record -> null);

        Written written = ladder.storeEach(kafka, List.of(processed(0), deadLetter(1, "not JSON")));

        assertThat(written).isEqualTo(new Written(1, 1));
        assertThat(kafka.history()).extracting(ProducerRecord::topic).containsExactly(PROCESSED, DEAD_LETTER);
        assertThat(header(kafka.history().get(1), OutputRecords.REASON)).isEqualTo("not JSON");
    }

    @Test
    void aProcessedRecordRefusedForGoodBecomesADeadLetterNamingTheRefusal() {
        RefusingProducer kafka = new RefusingProducer(
                record -> record.topic().equals(PROCESSED) ? new RecordTooLargeException("too large") : null);

        Written written = ladder.storeEach(kafka, List.of(processed(0)));

        assertThat(written).isEqualTo(new Written(0, 1));
        assertThat(kafka.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(DEAD_LETTER);
            assertThat(record.value()).isEqualTo(value(0));
            assertThat(header(record, OutputRecords.REASON))
                    .isEqualTo("the processed record was refused by events-processed: too large");
        });
    }

    @Test
    void aRefusedDeadLetterBecomesABoundedOneWithoutValue() {
        RefusingProducer kafka = new RefusingProducer(
                record -> record.value() != null ? new RecordTooLargeException("too large") : null);

        Written written = ladder.storeEach(kafka, List.of(processed(0)));

        assertThat(written).isEqualTo(new Written(0, 1));
        assertThat(kafka.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(DEAD_LETTER);
            assertThat(record.value()).isNull();
            assertThat(header(record, OutputRecords.TRUNCATED)).contains("the full dead letter was refused: too large");
            assertThat(header(record, OutputRecords.OFFSET)).isEqualTo("0");
        });
    }

    @Test
    void aRefusedBoundedDeadLetterFailsTheBatch() {
        RefusingProducer kafka = new RefusingProducer(record -> new RecordTooLargeException("too large"));

        assertThatThrownBy(() -> ladder.storeEach(kafka, List.of(processed(0))))
                .isInstanceOf(OutputFailedException.class)
                .hasMessage("events-dlq refused even a bounded dead letter of events-0@0: too large");
    }

    @Test
    void aFailureThatMayPassFailsTheBatchWithoutADeadLetter() {
        RefusingProducer kafka = new RefusingProducer(
                record -> record.topic().equals(PROCESSED) ? new NotLeaderOrFollowerException("leader moved") : null);

        assertThatThrownBy(() -> ladder.storeEach(kafka, List.of(processed(0))))
                .isInstanceOf(OutputFailedException.class)
                .hasMessageContaining("leader moved");
        assertThat(kafka.history()).isEmpty();
    }

    @Test
    void aRecordFailedOnlyForAnInvalidNeighbourIsSentAgainAlone() {
        List<String> refusedOnce = new ArrayList<>(List.of(PROCESSED));
        RefusingProducer kafka = new RefusingProducer(record -> refusedOnce.remove(record.topic())
                ? new KafkaException("part of a batch which had one or more invalid records")
                : null);

        Written written = ladder.storeEach(kafka, List.of(processed(0)));

        assertThat(written).isEqualTo(new Written(1, 0));
        assertThat(kafka.history()).extracting(ProducerRecord::topic).containsExactly(PROCESSED);
    }

    @Test
    void theTransactionalRungsAreTheSame() {
        FallbackLadder.Step first = ladder.first(processed(0));
        FallbackLadder.Step second = ladder.next(first, new RecordTooLargeException("too large"));
        FallbackLadder.Step third = ladder.next(second, new RecordTooLargeException("still too large"));

        assertThat(List.of(first.kind(), second.kind(), third.kind()))
                .containsExactly(
                        FallbackLadder.Kind.PROCESSED, FallbackLadder.Kind.DEAD_LETTER, FallbackLadder.Kind.BOUNDED);
        assertThatThrownBy(() -> ladder.next(third, new RecordTooLargeException("too large")))
                .isInstanceOf(OutputFailedException.class);
    }

    private static Output processed(long offset) {
        ProcessedEvent event = new ProcessedEvent(
                "e-" + offset,
                null,
                "order",
                new RawJson("{}"),
                new ProcessedEvent.Source("events", 0, offset),
                Instant.EPOCH,
                "test");
        return new Output(source(offset), event, null, event.id());
    }

    private static Output deadLetter(long offset, String reason) {
        return new Output(source(offset), null, new IllegalArgumentException(reason), null);
    }

    private static ConsumerRecord<byte[], byte[]> source(long offset) {
        return new ConsumerRecord<>("events", 0, offset, null, value(offset));
    }

    private static byte[] value(long offset) {
        return ("{\"type\":\"order\",\"n\":" + offset + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A mock producer that refuses the records {@code refusal} answers for, and stores the others. */
    private static final class RefusingProducer extends MockProducer<byte[], byte[]> {

        private final Function<ProducerRecord<byte[], byte[]>, RuntimeException> refusal;

        RefusingProducer(Function<ProducerRecord<byte[], byte[]>, RuntimeException> refusal) {
            super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            this.refusal = refusal;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            RuntimeException refused = refusal.apply(record);
            return refused == null ? super.send(record, callback) : CompletableFuture.failedFuture(refused);
        }
    }
}
