package io.eventprocessor.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Gives the {@code events-in} consumer {@code auto.offset.reset=earliest} where {@code latest} is configured (or
 * nothing is): the client never skips records on its own, and {@code partitions.NewPartitionStartPolicy} applies
 * {@code latest} where it is meant, a group with no commits on the topic (docs/design.md, "Partition safety").
 */
@ApplicationScoped
public class StartOffsetReset implements ClientCustomizer<Map<String, Object>> {

    public static final String LATEST = "latest";
    public static final String EARLIEST = "earliest";

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        // Absent means Kafka's default, latest.
        Object reset = config.getOrDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, LATEST);
        if (!Channels.EVENTS_IN.equals(channel) || !LATEST.equals(String.valueOf(reset))) {
            return config;
        }
        Map<String, Object> customized = new HashMap<>(config);
        customized.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, EARLIEST);
        return customized;
    }
}
