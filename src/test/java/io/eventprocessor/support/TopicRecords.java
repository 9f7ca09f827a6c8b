package io.eventprocessor.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Reads what is on a topic, from its beginning, for assertions. */
public final class TopicRecords {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TopicRecords() {}

    /**
     * Waits until the topic holds {@code expected} records matching the filter and returns them in
     * the order they were read (per partition: offset order).
     */
    public static List<ConsumerRecord<String, String>> await(
            KafkaCompanion companion,
            String topic,
            Predicate<ConsumerRecord<String, String>> filter,
            int expected,
            Duration timeout) {
        return awaitMatching(companion.consumeStrings().fromTopics(topic), topic, filter, expected, timeout);
    }

    /** Same as {@link #await} as a {@code read_committed} reader sees the topic. */
    public static List<ConsumerRecord<String, String>> awaitCommitted(
            KafkaCompanion companion,
            String topic,
            Predicate<ConsumerRecord<String, String>> filter,
            int expected,
            Duration timeout) {
        return awaitMatching(
                companion
                        .consumeStrings()
                        .withIsolationLevel(IsolationLevel.READ_COMMITTED)
                        .fromTopics(topic),
                topic,
                filter,
                expected,
                timeout);
    }

    /**
     * Same as {@link #await} with keys and values as the bytes on the topic, for assertions that nothing
     * was re-encoded.
     */
    public static List<ConsumerRecord<byte[], byte[]>> awaitRaw(
            KafkaCompanion companion,
            String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> filter,
            int expected,
            Duration timeout) {
        return awaitMatching(
                companion
                        .consumeWithDeserializers(new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .fromTopics(topic),
                topic,
                filter,
                expected,
                timeout);
    }

    private static <K, V> List<ConsumerRecord<K, V>> awaitMatching(
            ConsumerTask<K, V> task,
            String topic,
            Predicate<ConsumerRecord<K, V>> filter,
            int expected,
            Duration timeout) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        long found = task.getRecords().stream().filter(filter).count();
                        if (found < expected) {
                            throw new AssertionError("found " + found + " of " + expected + " records on " + topic);
                        }
                    });
            return task.getRecords().stream().filter(filter).toList();
        } finally {
            task.stop();
        }
    }

    /** Whether a record's key is the given text in UTF-8. */
    public static Predicate<ConsumerRecord<byte[], byte[]>> keyStartsWith(String prefix) {
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        return record -> record.key() != null
                && record.key().length >= start.length
                && Arrays.equals(record.key(), 0, start.length, start, 0, start.length);
    }

    /**
     * Waits until every id appears (as the {@code id} field of a JSON value) on the topic.
     *
     * @return every record carrying one of the ids, duplicates included
     */
    public static List<ConsumerRecord<String, String>> awaitIds(
            KafkaCompanion companion, String topic, Set<String> ids, Duration timeout) {
        return awaitIds(companion.consumeStrings().fromTopics(topic), topic, ids, timeout);
    }

    /**
     * Same as {@link #awaitIds} as a reader with {@code isolation.level=read_committed} sees the topic: records of
     * committed transactions only.
     */
    public static List<ConsumerRecord<String, String>> awaitIdsCommitted(
            KafkaCompanion companion, String topic, Set<String> ids, Duration timeout) {
        return awaitIds(
                companion
                        .consumeStrings()
                        .withIsolationLevel(IsolationLevel.READ_COMMITTED)
                        .fromTopics(topic),
                topic,
                ids,
                timeout);
    }

    /**
     * Exactly once: waits until the group committed every record of the input topic, then reads the output topic
     * as a {@code read_committed} reader and asserts that each id is on it once, no more (0 lost, 0 duplicated).
     *
     * @return the output records carrying the ids
     */
    public static List<ConsumerRecord<String, String>> assertEachIdOnce(
            KafkaCompanion companion, String group, String input, String output, Set<String> ids, Duration timeout) {
        awaitIdsCommitted(companion, output, ids, timeout);
        Awaitility.await(group + " committed all of " + input)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    int partitions = companion
                            .getOrCreateAdminClient()
                            .describeTopics(List.of(input))
                            .allTopicNames()
                            .get()
                            .get(input)
                            .partitions()
                            .size();
                    long committed = companion.consumerGroups().offsets(group).entrySet().stream()
                            .filter(entry -> entry.getKey().topic().equals(input))
                            .mapToLong(entry -> entry.getValue().offset())
                            .sum();
                    if (committed != endOffsetSum(companion, input, partitions)) {
                        throw new AssertionError(
                                "committed " + committed + " of " + endOffsetSum(companion, input, partitions));
                    }
                });
        List<ConsumerRecord<String, String>> records = readCommitted(companion, output).stream()
                .filter(record -> ids.contains(json(record).path("id").asText()))
                .toList();
        Map<String, Integer> copies = new HashMap<>();
        records.forEach(record -> copies.merge(json(record).path("id").asText(), 1, Integer::sum));
        List<String> duplicated = copies.entrySet().stream()
                .filter(entry -> entry.getValue() > 1)
                .map(entry -> entry.getKey() + " x" + entry.getValue())
                .sorted()
                .toList();
        if (!duplicated.isEmpty() || records.size() != ids.size()) {
            // Each copy of the first duplicated ids: which replica wrote it, from which record, at which output offset.
            List<String> copiesOfFirst = records.stream()
                    .filter(record -> copies.get(json(record).path("id").asText()) > 1)
                    .limit(6)
                    .map(record -> json(record).path("id").asText() + " by "
                            + json(record).path("processedBy").asText()
                            + " from "
                            + json(record).path("source").path("partition").asText() + "@"
                            + json(record).path("source").path("offset").asText() + " at " + record.partition() + "@"
                            + record.offset())
                    .toList();
            throw new AssertionError(records.size() + " records for " + ids.size() + " ids on " + output
                    + "; duplicated: " + duplicated.stream().limit(20).toList() + " (" + duplicated.size() + " ids); "
                    + copiesOfFirst);
        }
        return records;
    }

    /** Every record a {@code read_committed} reader finds on the topic, up to its last stable offset. */
    public static List<ConsumerRecord<String, String>> readCommitted(KafkaCompanion companion, String topic) {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                companion.getBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    private static List<ConsumerRecord<String, String>> awaitIds(
            ConsumerTask<String, String> task, String topic, Set<String> ids, Duration timeout) {
        try {
            Awaitility.await()
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        Set<String> missing = new HashSet<>(ids);
                        task.getRecords()
                                .forEach(record ->
                                        missing.remove(json(record).path("id").asText()));
                        if (!missing.isEmpty()) {
                            throw new AssertionError(missing.size() + " of " + ids.size() + " ids not on " + topic
                                    + ": " + missing.stream().sorted().limit(20).toList());
                        }
                    });
            return task.getRecords().stream()
                    .filter(record -> ids.contains(json(record).path("id").asText()))
                    .toList();
        } finally {
            task.stop();
        }
    }

    /** The record value parsed as JSON. */
    public static JsonNode json(ConsumerRecord<String, String> record) {
        return json(record.value());
    }

    /** A JSON text parsed. */
    public static JsonNode json(String value) {
        try {
            return MAPPER.readTree(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + value, e);
        }
    }

    /** Whether the record value is JSON with the given text field. */
    public static Predicate<ConsumerRecord<String, String>> hasField(String field, String value) {
        return record -> {
            try {
                JsonNode node = MAPPER.readTree(record.value());
                return node != null && node.path(field).asText("").equals(value);
            } catch (JsonProcessingException | RuntimeException e) {
                return false;
            }
        };
    }

    /** Sum of the end offsets of every partition of the topic. */
    public static long endOffsetSum(KafkaCompanion companion, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return companion.offsets().list(request).values().stream()
                .mapToLong(info -> info.offset())
                .sum();
    }
}
