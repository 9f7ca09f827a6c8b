package io.eventprocessor.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.eventprocessor.kafka.Channels;

/**
 * The Kafka client properties the service's channels set in {@code application.properties}, so that
 * the raw-client baseline runs with exactly the same consumer and producer settings as the service.
 */
final class ChannelKafkaProperties {

    private ChannelKafkaProperties() {}

    /** Consumer properties of channel {@code events-in}. */
    static Map<String, Object> consumer() {
        return of("mp.messaging.incoming." + Channels.EVENTS_IN + ".", ConsumerConfig.configNames());
    }

    /** Producer properties of channel {@code events-processed}. */
    static Map<String, Object> producer() {
        return producer(Channels.EVENTS_PROCESSED);
    }

    /** Producer properties of an outgoing channel. */
    static Map<String, Object> producer(String channel) {
        return of("mp.messaging.outgoing." + channel + ".", ProducerConfig.configNames());
    }

    private static Map<String, Object> of(String prefix, Set<String> kafkaNames) {
        Properties properties = new Properties();
        try (InputStream in = ChannelKafkaProperties.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> settings = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(prefix) && kafkaNames.contains(key.substring(prefix.length()))) {
                settings.put(key.substring(prefix.length()), properties.getProperty(key));
            }
        }
        return settings;
    }
}
