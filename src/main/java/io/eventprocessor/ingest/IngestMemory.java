package io.eventprocessor.ingest;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.eventprocessor.config.ProcessorConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The request-body bytes in hand over all {@code POST /events} requests, against {@code processor.ingest.max-in-flight-bytes}:
 * a request holds what it has read until it is answered. Memory for ingest stays bounded however many clients send
 * however large bodies while the broker is slow or away.
 */
@ApplicationScoped
public class IngestMemory {

    private final AtomicLong held = new AtomicLong();
    private final long limit;

    public IngestMemory(ProcessorConfig config, MeterRegistry registry) {
        this.limit = config.ingest().maxInFlightBytes();
        Gauge.builder("event_processor.ingest.held.bytes", held, AtomicLong::get)
                .description("Request-body bytes held by POST /events requests not answered yet")
                .register(registry);
    }

    /**
     * Holds {@code bytes} more for a request that already holds {@code alreadyHeld}, if that stays within the limit
     * or nothing else is held (one request always gets through).
     *
     * @return whether they are held
     */
    boolean tryHold(long bytes, long alreadyHeld) {
        while (true) {
            long current = held.get();
            boolean onlyThisRequest = current == alreadyHeld;
            if (current + bytes > limit && !onlyThisRequest) {
                return false;
            }
            if (held.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long limit() {
        return limit;
    }
}
