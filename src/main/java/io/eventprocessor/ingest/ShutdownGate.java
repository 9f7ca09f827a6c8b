package io.eventprocessor.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

/**
 * When {@code POST /events} stops taking new events during a shutdown. On SIGTERM Quarkus reports readiness DOWN and
 * keeps serving for {@code quarkus.shutdown.delay}, while Kubernetes takes the pod out of the Service; then it waits
 * up to {@code quarkus.shutdown.timeout} for the requests in hand and closes the server a few milliseconds after the
 * last one ended, cutting any connection still open (Vert.x 4 has no graceful close).
 * <p>
 * This gate refuses new events with {@code 503} + {@code Retry-After} (and, from Quarkus, {@code Connection: close})
 * from {@link #LEAD} before the end of the delay. A client that keeps sending learns to go elsewhere while the server
 * is sure to stay up, and the requests in hand have that long to get their {@code 202} before Quarkus starts waiting
 * for them. Were the gate to close only when Quarkus starts waiting, the last request in hand would often be a
 * {@code 202}, and its client's next request (a new connection, milliseconds later) would reach a server that is
 * closing and be cut without an answer.
 */
@ApplicationScoped
public class ShutdownGate {

    /** How long before the end of the shutdown delay new events are refused: longer than a broker takes to ack. */
    static final Duration LEAD = Duration.ofSeconds(1);

    private final Clock clock;
    private final Duration delay;
    private final AtomicReference<Instant> closesAt = new AtomicReference<>();

    public ShutdownGate(
            Clock clock, @ConfigProperty(name = "quarkus.shutdown.delay", defaultValue = "0s") Duration delay) {
        this.clock = clock;
        this.delay = delay;
    }

    void shutdownStarted(@Observes ShutdownDelayInitiatedEvent started) {
        Duration open = delay.compareTo(LEAD) > 0 ? delay.minus(LEAD) : Duration.ZERO;
        Instant at = clock.instant().plus(open);
        closesAt.compareAndSet(null, at);
        Log.infof(
                "Shutting down: readiness DOWN; POST /events takes new events until %s, %s before the end of "
                        + "quarkus.shutdown.delay=%s, then answers 503 while the requests in hand finish",
                at, LEAD, delay);
    }

    /** Whether a request arriving now may still publish events. */
    boolean open() {
        Instant at = closesAt.get();
        return at == null || clock.instant().isBefore(at);
    }

    /** Lets a request through while the gate is open; once closed, fails it with {@link ShuttingDownException}. */
    Uni<Void> admit() {
        return open() ? Uni.createFrom().voidItem() : Uni.createFrom().failure(ShuttingDownException::new);
    }
}
