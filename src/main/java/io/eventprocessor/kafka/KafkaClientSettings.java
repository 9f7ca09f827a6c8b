package io.eventprocessor.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.config.ProcessorConfig.Assignor;
import io.eventprocessor.config.ProcessorConfig.Delivery;
import io.eventprocessor.config.ProcessorConfig.GroupProtocol;
import io.smallrye.common.annotation.Identifier;

/**
 * Kafka client settings derived from {@code processor.partitions.*}, {@code processor.delivery},
 * {@code processor.batch-size} and the written topics' {@code max.message.bytes} ({@link TopicMessageLimits}: the
 * producers' {@code batch.size}), handed to the connector through
 * the channels' {@code kafka-configuration} attribute. Each protocol gets only the properties it
 * accepts: the consumer protocol rejects {@code partition.assignment.strategy}, the classic one
 * ignores {@code group.remote.assignor}.
 */
@ApplicationScoped
public class KafkaClientSettings {

    /**
     * How long an open transaction of a vanished instance holds back {@code read_committed} readers and the new
     * owner's start before the broker aborts it (Kafka Streams' exactly-once default; the client's is 60 s). A
     * batch's transaction lasts its retry back-offs and sends: well under this.
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /** Records per poll at-least-once unless {@code processor.batch-size} says otherwise: Kafka's default. */
    static final int AT_LEAST_ONCE_BATCH = 500;
    /**
     * Records per poll exactly-once unless {@code processor.batch-size} says otherwise, so the largest
     * transaction: each adds three round trips and the commit markers, so larger ones keep throughput near
     * at-least-once; a quiet topic still gives small batches, so latency grows only with the backlog.
     */
    static final int EXACTLY_ONCE_BATCH = 2000;

    static final String COMMIT_STRATEGY = "commit-strategy";
    /** The connector's attributes naming what a channel reads or writes. */
    static final String TOPIC = "topic";

    static final String TOPICS = "topics";
    static final String PATTERN = "pattern";
    static final String UNPROCESSED_RECORD_MAX_AGE = "throttled.unprocessed-record-max-age.ms";

    /** Bean name the {@code events-in} channel refers to. */
    public static final String CONSUMER = "events-in-settings";
    /** Bean name the {@code events-out} channel refers to. */
    public static final String PRODUCER = "events-out-settings";
    /** Bean name the {@code events-processed} channel refers to. */
    public static final String PROCESSED_PRODUCER = "events-processed-settings";

    @Produces
    @Identifier(CONSUMER)
    Map<String, Object> consumerSettings(
            ProcessorConfig config, ConsumedTopics consumed, GroupProtocolChoice protocolChoice) {
        ProcessorConfig.Partitions partitions = config.partitions();
        GroupProtocol protocol = protocolChoice.choice().protocol();
        Map<String, Object> settings = new HashMap<>(subscription(consumed));
        settings.put(
                CommonClientConfigs.METADATA_MAX_AGE_CONFIG,
                String.valueOf(partitions.metadataMaxAge().toMillis()));
        boolean exactlyOnce = config.delivery() == Delivery.EXACTLY_ONCE;
        int batchSize = config.batchSize().orElse(exactlyOnce ? EXACTLY_ONCE_BATCH : AT_LEAST_ONCE_BATCH);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(batchSize));
        settings.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(config.batchMaxBytes()));
        // Both modes: records of transactions their producer aborted are never processed, and those of open
        // transactions only once committed. Exactly-once also needs it: offset fetches wait for pending transactional
        // commits (KIP-447), so a new owner starts after the last batch its predecessor committed.
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The connector's watchdog fails the channel when a record waits more than 60 s for its acknowledgement, so a
        // slow processing step (150 ms x 500 records) would kill it: off. A step that hangs is caught by the stall
        // rule instead (processor.partitions.stall-timeout, StallTracker: no commit and no record through the step).
        settings.put(UNPROCESSED_RECORD_MAX_AGE, "0");
        // Never by the connector: exactly-once commits offsets in the output's transaction
        // (delivery.TransactionalOutputWriter), at-least-once after the output is stored (partitions.OffsetCommits);
        // both commit what partitions.KeyOrderGate counts as done, which a record held for key order keeps from
        // moving past it.
        settings.put(COMMIT_STRATEGY, "ignore");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.name().toLowerCase());
        Assignor assignor = Assignors.effective(protocol, partitions.assignor());
        if (protocol == GroupProtocol.CONSUMER) {
            settings.put(
                    ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor.name().toLowerCase());
        } else {
            settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, Assignors.classicAssignorClass(assignor));
        }
        return settings;
    }

    /**
     * The connector's attributes for what {@code events-in} reads: {@code topics}, or {@code topic} as a regular
     * expression with {@code pattern=true} (the client's pattern subscription: topics that match later are assigned at
     * a metadata refresh, {@code processor.partitions.metadata-max-age}).
     */
    static Map<String, Object> subscription(ConsumedTopics consumed) {
        return consumed.pattern()
                .<Map<String, Object>>map(pattern -> Map.of(TOPIC, pattern.pattern(), PATTERN, "true"))
                .orElseGet(() -> Map.of(TOPICS, String.join(",", consumed.listed())));
    }

    @Produces
    @Identifier(PRODUCER)
    Map<String, Object> producerSettings(ProcessorConfig config, TopicMessageLimits limits) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(TOPIC, config.topics().events());
        settings.put(
                CommonClientConfigs.METADATA_MAX_AGE_CONFIG,
                String.valueOf(config.partitions().metadataMaxAge().toMillis()));
        // A send blocks the channel's one sending thread while it waits for metadata (the broker away): no longer
        // than a request may wait for its acknowledgement, or requests queue behind it for Kafka's 60 s.
        settings.put(
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                String.valueOf(config.ingest().ackTimeout().toMillis()));
        limits.batchSizeFor(Channels.EVENTS_OUT, List.of(config.topics().events()))
                .ifPresent(size -> settings.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(size)));
        return settings;
    }

    /**
     * The processor's producer refreshes its metadata like the others, so that a failover or a new partition
     * of the processed topic shows within seconds; its sends keep Kafka's {@code max.block.ms}, since a
     * batch waits for its outputs anyway.
     */
    @Produces
    @Identifier(PROCESSED_PRODUCER)
    Map<String, Object> processedProducerSettings(
            ProcessorConfig config,
            InstanceName instance,
            @ConfigProperty(name = ChannelAttributes.EVENTS_IN_GROUP_ID) String group,
            ConsumedTopics consumed,
            OutputTopics outputs,
            TopicMessageLimits limits) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(
                CommonClientConfigs.METADATA_MAX_AGE_CONFIG,
                String.valueOf(config.partitions().metadataMaxAge().toMillis()));
        limits.batchSizeFor(Channels.EVENTS_PROCESSED, outputs.knownFor(consumed))
                .ifPresent(size -> settings.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(size)));
        if (config.delivery() == Delivery.EXACTLY_ONCE) {
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(group, instance.value()));
            settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
        }
        return settings;
    }

    /**
     * One transactional id per instance and group: a restarted instance (same pod name) fences its predecessor's
     * producer and aborts its open transaction at once (KIP-447: the group metadata, not the id, fences a member
     * that lost partitions). Two live instances with one name would fence each other: instance names are unique.
     */
    static String transactionalId(String group, String instance) {
        return group + "-" + instance;
    }
}
