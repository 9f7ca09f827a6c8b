package io.eventprocessor.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;

/**
 * The largest record batch each topic this service writes takes (those known at start-up: {@link OutputTopics#knownFor}) ({@code max.message.bytes}), asked of the cluster
 * once, when the first producer is created, and the {@code batch.size} that keeps a producer's batches within it.
 * <p>
 * Why: the Kafka producer of this build (clients 4.1) splits a batch the broker refuses as too large into batches of
 * {@code batch.size} again (KAFKA-8350, fixed in later clients). On a topic whose limit is below {@code batch.size}
 * (16,384 bytes by default) a batch of several small records then never fits: the producer splits and retries it
 * until {@code delivery.timeout.ms}, the batch fails, and the partition stops on it after every restart. With
 * {@code batch.size} at most the smallest limit of the topics a producer writes, a batch of several records always
 * fits, and only a single record over the limit is refused, which the service answers ({@code 413} at the door, a
 * dead letter in processing).
 * <p>
 * A cluster that cannot be asked within {@code processor.partitions.check-timeout} leaves {@code batch.size} as
 * configured (logged). A limit lowered while the service runs takes effect at its next start.
 */
@ApplicationScoped
public class TopicMessageLimits {

    /** Kafka's {@code batch.size} when nothing sets it, as the producer of this build defines it. */
    private static final int KAFKA_DEFAULT_BATCH_SIZE =
            (Integer) ProducerConfig.configDef().defaultValues().get(ProducerConfig.BATCH_SIZE_CONFIG);

    private final List<String> topics;
    private final AdminClients adminClients;
    private final Duration timeout;
    private final int configuredBatchSize;
    private Map<String, Integer> limits;

    public TopicMessageLimits(
            ProcessorConfig config,
            ConsumedTopics consumed,
            OutputTopics outputs,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            AdminClients adminClients) {
        List<String> written = new ArrayList<>();
        written.add(config.topics().events());
        written.addAll(outputs.knownFor(consumed));
        this.topics = List.copyOf(written);
        this.timeout = config.partitions().checkTimeout();
        this.configuredBatchSize = Optional.ofNullable(kafkaConfig.get(ProducerConfig.BATCH_SIZE_CONFIG))
                .map(value -> Integer.parseInt(value.toString().trim()))
                .orElse(KAFKA_DEFAULT_BATCH_SIZE);
        this.adminClients = adminClients;
    }

    /**
     * The {@code batch.size} for a producer that writes these topics, when it must be lower than the configured one
     * ({@code kafka.batch.size}, or Kafka's default); empty when the configured one fits every topic or the limits are
     * unknown. A channel's own {@code batch.size} attribute still wins over it.
     *
     * @param producer the producer, for the log
     * @param written the topics it writes
     */
    public synchronized Optional<Integer> batchSizeFor(String producer, Collection<String> written) {
        if (limits == null) {
            limits = ask();
        }
        Map<String, Integer> known =
                written.stream().filter(limits::containsKey).collect(Collectors.toMap(topic -> topic, limits::get));
        Optional<Integer> capped = cappedBatchSize(configuredBatchSize, known.values());
        capped.ifPresent(size -> Log.infof(
                "Producer %s: batch.size %d instead of %d, so that a batch of several records "
                        + "fits the smallest max.message.bytes of the topics it writes (%s; KAFKA-8350)",
                producer,
                size,
                configuredBatchSize,
                known.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(entry -> entry.getKey() + " " + entry.getValue())
                        .collect(Collectors.joining(", "))));
        return capped;
    }

    /** The topic's {@code max.message.bytes}, when it was known at start-up. */
    public synchronized OptionalInt limitOf(String topic) {
        if (limits == null) {
            limits = ask();
        }
        Integer limit = limits.get(topic);
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    /** The rule: the smallest topic limit when it is below the configured batch size, else nothing. */
    static Optional<Integer> cappedBatchSize(int configured, Collection<Integer> topicLimits) {
        return topicLimits.stream().min(Integer::compare).filter(limit -> limit < configured);
    }

    /** Each existing topic's limit; a topic not created yet gets the broker's default when it is, so it is left out. */
    private Map<String, Integer> ask() {
        List<ConfigResource> resources = topics.stream()
                .distinct()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                .toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> found = new HashMap<>();
        try (Admin admin = adminClients.create("event-processor-topic-limits")) {
            for (Map.Entry<ConfigResource, KafkaFuture<Config>> answer :
                    admin.describeConfigs(resources).values().entrySet()) {
                try {
                    Config config =
                            answer.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    Optional.ofNullable(config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                            .map(ConfigEntry::value)
                            .ifPresent(value -> found.put(answer.getKey().name(), Integer.parseInt(value)));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
            }
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return found;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Log.warnf(
                    "Could not read max.message.bytes of %s within %s (%s): the producers keep batch.size %d; a topic "
                            + "limit below it can stop a partition (KAFKA-8350)",
                    topics, timeout, e.getCause() != null ? e.getCause() : e, configuredBatchSize);
            return found;
        }
    }
}
