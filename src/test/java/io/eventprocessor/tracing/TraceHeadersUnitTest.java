package io.eventprocessor.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/** When a trace context is carried on, and when nothing is added. */
class TraceHeadersUnitTest {

    private static final String CALLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final TraceHeaders on = new TraceHeaders(OpenTelemetrySdk.builder()
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .setTracerProvider(SdkTracerProvider.builder().build())
            .build());

    @Test
    void aTracedRecordsProcessedFormGetsAChildSpanOfTheSameTrace() {
        Headers headers = on.continuedFrom(record(CALLER), "events-processed");

        String traceparent = new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
        assertThat(traceparent)
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .endsWith("-01")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void aRecordWithoutATraceStartsNone() {
        assertThat(on.continuedFrom(record(null), "events-processed")).isNull();
        assertThat(on.continuedFrom(record("not a traceparent"), "events-processed"))
                .isNull();
    }

    @Test
    void withTracingOffNothingIsAddedEvenToATracedRecord() {
        TraceHeaders off = new TraceHeaders(OpenTelemetry.noop());

        assertThat(off.continuedFrom(record(CALLER), "events-processed")).isNull();
        assertThat(off.ofCurrentContext()).isNull();
    }

    private static ConsumerRecord<byte[], byte[]> record(String traceparent) {
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>("events", 0, 7L, null, "{}".getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
