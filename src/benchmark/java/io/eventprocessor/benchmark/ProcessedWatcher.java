package io.eventprocessor.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a processed topic from its beginning as records arrive and keeps, for each source partition
 * ({@code <topic>-<partition>}), the ids seen and when the first of them was processed (its {@code processedAt}).
 */
final class ProcessedWatcher implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Instant> firstProcessedAt = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();
    private final Thread poller;

    private ProcessedWatcher(String bootstrapServers, String processedTopic) {
        consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(),
                new StringDeserializer());
        TopicPartition only = new TopicPartition(processedTopic, 0);
        consumer.assign(Set.of(only));
        consumer.seekToBeginning(Set.of(only));
        poller = new Thread(this::poll, "watch-" + processedTopic);
    }

    /** Starts watching a processed topic of one partition. */
    static ProcessedWatcher start(String bootstrapServers, String processedTopic) {
        ProcessedWatcher watcher = new ProcessedWatcher(bootstrapServers, processedTopic);
        watcher.poller.start();
        return watcher;
    }

    /** When the first record from the source partition was processed, waiting for it up to {@code bound}. */
    Optional<Instant> awaitFirst(String sourcePartition, Duration bound) {
        try {
            Awaitility.await()
                    .atMost(bound)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> firstProcessedAt.containsKey(sourcePartition));
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(firstProcessedAt.get(sourcePartition));
    }

    /** Waits up to {@code bound} for a record with this id from the source partition; whether it came. */
    boolean awaitId(String sourcePartition, String id, Duration bound) {
        try {
            Awaitility.await()
                    .atMost(bound)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> idsFrom(sourcePartition).contains(id));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    Set<String> idsFrom(String sourcePartition) {
        return ids.getOrDefault(sourcePartition, Set.of());
    }

    private void poll() {
        try {
            while (true) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode event = MAPPER.readTree(record.value());
                    String partition = event.path("source").path("topic").asText() + "-"
                            + event.path("source").path("partition").asInt();
                    Instant at = Instant.parse(event.path("processedAt").asText());
                    firstProcessedAt.merge(
                            partition, at, (known, candidate) -> known.isBefore(candidate) ? known : candidate);
                    ids.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet())
                            .add(event.path("id").asText());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            System.out.println("=== benchmark: watcher stopped: " + e);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        poller.join(10_000);
    }
}
