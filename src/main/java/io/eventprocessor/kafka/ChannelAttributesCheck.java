package io.eventprocessor.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start when a channel attribute sets a Kafka client setting that {@link KafkaClientSettings} derives from
 * {@code processor.*}: the connector lets a channel attribute win over the derived value, so the {@code processor.*}
 * setting would silently stop working (say {@code max.poll.records} beside {@code processor.batch-size}). The message
 * names both. The settings a channel attribute may change on purpose (each producer's {@code batch.size}, the
 * transaction timeout, the connector's watchdog) are not in {@link #DERIVED}.
 */
@ApplicationScoped
public class ChannelAttributesCheck {

    private static final String CONSUMED = "processor.topics.consume or processor.topics.consume-pattern";

    /** For each channel, the attributes {@link KafkaClientSettings} derives, and the setting each comes from. */
    static final Map<String, Map<String, String>> DERIVED = Map.of(
            ChannelAttributes.EVENTS_IN,
            Map.ofEntries(
                    Map.entry(KafkaClientSettings.TOPIC, CONSUMED),
                    Map.entry(KafkaClientSettings.TOPICS, CONSUMED),
                    Map.entry(KafkaClientSettings.PATTERN, CONSUMED),
                    Map.entry(CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "processor.partitions.metadata-max-age"),
                    Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "processor.batch-size"),
                    Map.entry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, "processor.batch-max-bytes"),
                    Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "processor.delivery"),
                    Map.entry(KafkaClientSettings.COMMIT_STRATEGY, "processor.delivery"),
                    Map.entry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "processor.partitions.group-protocol"),
                    Map.entry(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "processor.partitions.assignor"),
                    Map.entry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, "processor.partitions.assignor")),
            ChannelAttributes.EVENTS_OUT,
            Map.of(
                    KafkaClientSettings.TOPIC, "processor.topics.events",
                    CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "processor.partitions.metadata-max-age",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, "processor.ingest.ack-timeout"),
            ChannelAttributes.EVENTS_PROCESSED,
            Map.of(
                    KafkaClientSettings.TOPIC, "processor.topics.processed",
                    CommonClientConfigs.METADATA_MAX_AGE_CONFIG, "processor.partitions.metadata-max-age",
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "processor.instance-id"));

    /** What {@link KafkaClientSettings} sets that a channel attribute may change on purpose. */
    static final Set<String> OVERRIDABLE = Set.of(
            ProducerConfig.BATCH_SIZE_CONFIG,
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            KafkaClientSettings.UNPROCESSED_RECORD_MAX_AGE);

    private final Config settings;

    public ChannelAttributesCheck(Config settings) {
        this.settings = settings;
    }

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        List<String> contradictions = contradictions();
        if (!contradictions.isEmpty()) {
            throw new IllegalStateException(
                    "Channel attributes that contradict processor.* settings: " + String.join("; ", contradictions));
        }
    }

    /** One sentence per attribute set that a {@code processor.*} setting decides; empty when there is none. */
    List<String> contradictions() {
        List<String> found = new ArrayList<>();
        DERIVED.forEach((channel, derived) -> derived.forEach((attribute, from) -> {
            String name = channel + "." + attribute;
            settings.getOptionalValue(name, String.class)
                    .ifPresent(value -> found.add(
                            name + "=" + value + " would override what " + from + " sets: remove it and use " + from));
        }));
        found.sort(null);
        return found;
    }
}
