package io.eventprocessor.ingest;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.SettableClock;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/**
 * When {@code POST /events} stops taking events: {@link ShutdownGate#LEAD} before the end of the shutdown delay (so the
 * requests in hand are done before Quarkus waits for them), at once when the delay is shorter, never before SIGTERM.
 */
class ShutdownGateUnitTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T00:00:00Z"));

    @Test
    void takesEventsUntilTheLeadBeforeTheEndOfTheDelayThenRefusesAtOnce() {
        ShutdownGate gate = new ShutdownGate(clock, Duration.ofSeconds(10));
        admit(gate).assertCompleted();
        gate.shutdownStarted(null);
        clock.advance(Duration.ofSeconds(9).minusMillis(1));
        admit(gate).assertCompleted();

        clock.advance(Duration.ofMillis(1));

        admit(gate).assertFailedWith(ShuttingDownException.class);
    }

    @Test
    void refusesAtOnceWhenTheDelayIsNoLongerThanTheLead() {
        ShutdownGate gate = new ShutdownGate(clock, Duration.ofMillis(500));
        gate.shutdownStarted(null);

        admit(gate).assertFailedWith(ShuttingDownException.class);
    }

    @Test
    void aSecondShutdownNoticeDoesNotMoveTheClosingTime() {
        ShutdownGate gate = new ShutdownGate(clock, Duration.ofSeconds(10));
        gate.shutdownStarted(null);
        clock.advance(Duration.ofSeconds(5));
        gate.shutdownStarted(null);
        clock.advance(Duration.ofSeconds(4));

        admit(gate).assertFailedWith(ShuttingDownException.class);
    }

    private static UniAssertSubscriber<Void> admit(ShutdownGate gate) {
        return gate.admit().subscribe().withSubscriber(UniAssertSubscriber.create());
    }
}
