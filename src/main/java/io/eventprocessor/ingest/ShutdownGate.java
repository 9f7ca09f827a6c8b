package io.eventprocessor.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

/**
 * When {@code POST /events} stops taking new events during a shutdown. On SIGTERM Quarkus reports readiness
 * DOWN and keeps serving for {@code quarkus.shutdown.delay}, while Kubernetes takes the pod out of the Service;
 * then it waits up to {@code quarkus.shutdown.timeout} for the requests it has. From the end of the delay this
 * gate refuses new events with {@code 503} + {@code Retry-After}, so the requests in hand can drain (each still
 * gets its {@code 202}, or its {@code 503} when the broker does not acknowledge in time) and a client that keeps
 * sending is told to go elsewhere instead of being cut off when the server closes.
 */
@ApplicationScoped
public class ShutdownGate {

    /** How long a refused request is held before its {@code 503}. */
    static final Duration REFUSAL_LINGER = Duration.ofMillis(500);

    private final Clock clock;
    private final Duration delay;
    private final AtomicReference<Instant> closesAt = new AtomicReference<>();

    public ShutdownGate(Clock clock, Config settings) {
        this.clock = clock;
        this.delay = settings.getOptionalValue("quarkus.shutdown.delay", Duration.class).orElse(Duration.ZERO);
    }

    void shutdownStarted(@Observes ShutdownDelayInitiatedEvent started) {
        Instant at = clock.instant().plus(delay);
        closesAt.compareAndSet(null, at);
        Log.infof("Shutting down: readiness DOWN; POST /events takes new events until %s (quarkus.shutdown.delay=%s), "
                + "then answers 503 while the requests in hand finish", at, delay);
    }

    /** Whether a request arriving now may still publish events. */
    boolean open() {
        Instant at = closesAt.get();
        return at == null || clock.instant().isBefore(at);
    }

    /**
     * Lets a request through while the gate is open; once closed, fails it with {@link ShuttingDownException}
     * (answered {@code 503} + {@code Retry-After}) after {@link #REFUSAL_LINGER}. Quarkus closes the server as soon as
     * no request is in hand; a refusal that lingers keeps the server up until callers have been quiet that long
     * (a client that just got its {@code 202} reconnects within milliseconds), so the server does not close under a
     * request that has just arrived.
     */
    Uni<Void> admit() {
        if (open()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(REFUSAL_LINGER).onItem().failWith(ShuttingDownException::new);
    }
}
