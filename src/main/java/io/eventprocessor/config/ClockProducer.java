package io.eventprocessor.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The one {@link Clock} of the service (UTC system time): every time rule (grace period, stall timeout,
 * restart turns, data age) reads it, so that a test can hand the rule a fixed or moving clock instead.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
