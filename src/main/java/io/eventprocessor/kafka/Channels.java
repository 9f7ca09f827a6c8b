package io.eventprocessor.kafka;

/**
 * Reactive Messaging channel names, shared by code, configuration and tests. Each channel is bound
 * to a Kafka topic in {@code application.properties}.
 */
public final class Channels {

    /** Producer channel writing topic {@code events}: {@code POST /events} and the demo generator (see {@link ChannelProducers}). */
    public static final String EVENTS_OUT = "events-out";

    /** Consumer channel reading topic {@code events}, one poll per batch. */
    public static final String EVENTS_IN = "events-in";

    /** Producer channel writing processed records to {@code events-processed} and dead letters to {@code events-dlq}. */
    public static final String EVENTS_PROCESSED = "events-processed";

    private Channels() {}
}
