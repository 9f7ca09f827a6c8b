package io.eventprocessor.kafka;

/**
 * Reactive Messaging channel names, shared by code, configuration and tests. Each channel is bound
 * to a Kafka topic in {@code application.properties}.
 */
public final class Channels {

    /** Emitter-backed producer channel: {@code POST /events} and the demo generator write to topic {@code events}. */
    public static final String EVENTS_OUT = "events-out";

    /** Consumer channel reading topic {@code events}; its failures go to topic {@code events-dlq}. */
    public static final String EVENTS_IN = "events-in";

    /** Producer channel writing processed events to topic {@code events-processed}. */
    public static final String EVENTS_PROCESSED = "events-processed";

    private Channels() {
    }
}
