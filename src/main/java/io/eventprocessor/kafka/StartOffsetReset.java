package io.eventprocessor.kafka;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

import io.smallrye.reactive.messaging.ClientCustomizer;

/**
 * Takes {@code auto.offset.reset=latest} away from the {@code events-in} Kafka consumer and hands it to
 * the new-partition start policy ({@code partitions.NewPartitionStartPolicy}), so that the client never skips records on its own.
 * <p>
 * With {@code latest}, Kafka starts any partition without a usable committed offset at its end: a partition
 * the policy could not decide for (a {@code committed()} timeout during a coordinator move), or one whose
 * committed offset was deleted by retention, would lose every record before the end. So the client runs
 * with {@code earliest}, and the configured {@code latest} is applied by the policy alone, where it is
 * meant: a group with no committed offset on the topic at all (a new deployment) starts at the end. Every
 * other value ({@code earliest}, {@code none}, {@code by_duration:…}) reaches the client unchanged.
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
