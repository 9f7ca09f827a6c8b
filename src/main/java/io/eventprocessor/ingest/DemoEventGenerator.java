package io.eventprocessor.ingest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.RawJson;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A demo producer for local runs: when {@code processor.generator.enabled}, emits one keyless
 * event every {@code processor.generator.interval}; keyless events go round-robin over all partitions.
 */
@ApplicationScoped
public class DemoEventGenerator {

    /** Type of the generated events. */
    public static final String TYPE = "demo.tick";

    private final EventPublisher publisher;
    private final ProcessorConfig config;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Cancellable ticks;

    public DemoEventGenerator(EventPublisher publisher, ProcessorConfig config) {
        this.publisher = publisher;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!config.generator().enabled()) {
            return;
        }
        Log.infof("Demo generator: one event every %s", config.generator().interval());
        ticks = Multi.createFrom()
                .ticks()
                .every(config.generator().interval())
                .onOverflow()
                .drop()
                .onItem()
                .transformToUniAndConcatenate(tick -> publisher
                        .publish(List.of(nextEvent()))
                        .onFailure()
                        .invoke(failure -> Log.warnf("Demo generator: %s", failure.getMessage()))
                        .onFailure()
                        .recoverWithNull())
                .subscribe()
                .with(
                        accepted -> {
                            if (accepted != null) {
                                Log.debugf("Demo generator sent %s", accepted);
                            }
                        },
                        failure -> Log.errorf(failure, "Demo generator stopped"));
    }

    void stop(@Observes ShutdownEvent event) {
        Cancellable running = ticks;
        if (running != null) {
            running.cancel();
        }
    }

    private Event nextEvent() {
        RawJson payload =
                new RawJson("{\"sequence\":" + sequence.incrementAndGet() + ",\"at\":\"" + Instant.now() + "\"}");
        return new Event(UUID.randomUUID().toString(), null, TYPE, payload);
    }
}
