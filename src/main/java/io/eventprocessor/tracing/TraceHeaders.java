package io.eventprocessor.tracing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Carries a W3C trace context ({@code traceparent}, {@code tracestate}, baggage) from a {@code POST /events} request
 * into the records it writes to {@code events}, and from a consumed record into its processed record on
 * {@code events-processed}, through a span of the processing step. The records are sent with the Kafka clients
 * directly, not through the connector's per-message path, so the connector's own tracing does not apply.
 * <p>
 * Off by default ({@code quarkus.otel.sdk.disabled=true}): the propagator is then a no-op and every method
 * returns {@code null} (no headers) without looking at the record. A consumed record without a trace context
 * starts none.
 */
@ApplicationScoped
public class TraceHeaders {

    private static final TextMapSetter<Headers> SETTER = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };

    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> names = new ArrayList<>();
            for (Header header : headers) {
                names.add(header.key());
            }
            return names;
        }

        @Override
        public String get(Headers headers, String name) {
            Header header = headers == null ? null : headers.lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final TextMapPropagator propagator;
    private final Tracer tracer;

    public TraceHeaders(OpenTelemetry openTelemetry) {
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.tracer = openTelemetry.getTracer("io.eventprocessor");
    }

    /** The current trace context (the {@code POST /events} request's span) as record headers, or {@code null}. */
    public Headers ofCurrentContext() {
        return headersOf(Context.current());
    }

    /**
     * Headers for the processed form of {@code source}: a span of the processing step, child of the trace context
     * the record carries, and its context; {@code null} when the record carries none or tracing is off.
     *
     * @param output the topic the processed record goes to
     */
    public Headers continuedFrom(ConsumerRecord<?, ?> source, String output) {
        Context parent = propagator.extract(Context.root(), source.headers(), GETTER);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null;
        }
        Span span = tracer.spanBuilder(source.topic() + " process")
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", source.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(source.partition()))
                .setAttribute("messaging.kafka.offset", source.offset())
                .setAttribute("event_processor.output.topic", output)
                .startSpan();
        try {
            return headersOf(parent.with(span));
        } finally {
            span.end();
        }
    }

    private Headers headersOf(Context context) {
        Headers headers = new RecordHeaders();
        propagator.inject(context, headers, SETTER);
        return headers.iterator().hasNext() ? headers : null;
    }
}
