package io.eventprocessor.kafka;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Reads the channels' attributes the way the Kafka connector resolves them: the channel's own attribute
 * ({@code mp.messaging.incoming.events-in.<attribute>}), else the shared {@code kafka.<attribute>}. Every class that
 * reads a channel attribute back goes through here, so the names are spelled once.
 */
public final class ChannelAttributes {

    /** Prefix of the {@code events-in} consumer's attributes. */
    public static final String EVENTS_IN = "mp.messaging.incoming." + Channels.EVENTS_IN;
    /** Prefix of the {@code events-out} producer's attributes. */
    public static final String EVENTS_OUT = "mp.messaging.outgoing." + Channels.EVENTS_OUT;
    /** Prefix of the {@code events-processed} producer's attributes. */
    public static final String EVENTS_PROCESSED = "mp.messaging.outgoing." + Channels.EVENTS_PROCESSED;

    /** The consumer group of {@code events-in} (a constant, for {@code @ConfigProperty}). */
    public static final String EVENTS_IN_GROUP_ID = EVENTS_IN + ".group.id";
    /** The client id of {@code events-in} (a constant, for {@code @ConfigProperty}). */
    public static final String EVENTS_IN_CLIENT_ID = EVENTS_IN + ".client.id";

    private ChannelAttributes() {}

    /** Prefix of the producer channel {@code channel}'s attributes. */
    public static String outgoing(String channel) {
        return "mp.messaging.outgoing." + channel;
    }

    /** The full name of an attribute of the producer channel {@code channel}. */
    public static String outgoing(String channel, String attribute) {
        return outgoing(channel) + "." + attribute;
    }

    /** The full name of an attribute of {@code events-in}. */
    public static String eventsIn(String attribute) {
        return EVENTS_IN + "." + attribute;
    }

    /** The channel's attribute ({@code prefix} is one of the constants above or {@link #outgoing(String)}), else the shared {@code kafka.*} one. */
    public static <T> Optional<T> channelOrShared(Config settings, String prefix, String attribute, Class<T> type) {
        return settings.getOptionalValue(prefix + "." + attribute, type)
                .or(() -> settings.getOptionalValue("kafka." + attribute, type));
    }
}
