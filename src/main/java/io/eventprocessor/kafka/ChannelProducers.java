package io.eventprocessor.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The Kafka producers of the outgoing channels, as beans: {@code @Identifier(Channels.EVENTS_OUT)} and
 * {@code @Identifier(Channels.EVENTS_PROCESSED)} {@link ChannelProducer}s. The connector creates, configures (channel
 * attributes and the {@code kafka-configuration} beans of {@code kafka/KafkaClientSettings}), secures and
 * monitors them like any channel's; the service sends with them directly instead of message by message through an
 * Emitter: {@code POST /events} hands a request's events to the sending thread together and answers with each one's
 * partition and offset, and the processor writes a batch (in exactly-once mode, in a transaction with its offsets).
 * <p>
 * The connector creates an outgoing channel's producer only when the channel is connected, that is when something
 * may send to it. Each producer method takes the channel's {@link Emitter} for that alone: it connects the channel
 * and is never sent to. {@code ChannelProducersTest} fails if a channel is left without its producer.
 */
@ApplicationScoped
public class ChannelProducers {

    /**
     * @param connection connects channel {@code events-out}, so that the connector creates its producer; never sent to
     */
    @Produces
    @Singleton
    @Identifier(Channels.EVENTS_OUT)
    ChannelProducer<String, byte[]> eventsOut(
            KafkaClientService clients, @Channel(Channels.EVENTS_OUT) Emitter<byte[]> connection) {
        return new ChannelProducer<>(clients, Channels.EVENTS_OUT);
    }

    /**
     * @param connection connects channel {@code events-processed}, so that the connector creates its producer; never
     *        sent to
     */
    @Produces
    @Singleton
    @Identifier(Channels.EVENTS_PROCESSED)
    ChannelProducer<byte[], byte[]> eventsProcessed(
            KafkaClientService clients, @Channel(Channels.EVENTS_PROCESSED) Emitter<byte[]> connection) {
        return new ChannelProducer<>(clients, Channels.EVENTS_PROCESSED);
    }
}
