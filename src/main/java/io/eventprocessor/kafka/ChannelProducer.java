package io.eventprocessor.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;

/**
 * The Kafka producer that the connector created for an outgoing channel (configured, secured and
 * monitored like every channel), looked up on first use. {@link ChannelProducers} makes them beans and
 * connects their channels, without which the connector creates none.
 *
 * @param <K> key type
 * @param <V> value type, as the channel's value serializer takes it
 */
public final class ChannelProducer<K, V> {

    private final KafkaClientService clients;
    private final String channel;
    private volatile KafkaProducer<K, V> producer;

    public ChannelProducer(KafkaClientService clients, String channel) {
        this.clients = clients;
        this.channel = channel;
    }

    public KafkaProducer<K, V> get() {
        KafkaProducer<K, V> current = producer;
        if (current == null) {
            current = clients.getProducer(channel);
            if (current == null) {
                throw new IllegalStateException("No Kafka producer for channel " + channel);
            }
            producer = current;
        }
        return current;
    }
}
