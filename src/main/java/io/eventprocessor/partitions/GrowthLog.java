package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.eventprocessor.kafka.AdminClients;

/**
 * The growth histories of the consumed topics, kept in a compacted topic of one partition: one record per topic, keyed
 * by its name, holding its whole history ({@code 3@<millis>;6@<millis>}), so that every replica, and every replica
 * after a restart, judges records by the same counts and times. A count is dated when the first replica saw it: of two
 * replicas that saw one growth, the earlier date wins, whichever record compaction keeps.
 */
final class GrowthLog implements AutoCloseable {

    private final String logTopic;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final TopicPartition partition;
    private final Map<String, GrowthHistory> histories = new HashMap<>();

    /**
     * @param clientSettings the admin clients' settings (connection, security), of which producer and consumer take what
     *     they know
     */
    GrowthLog(Map<String, Object> clientSettings, String logTopic, Duration timeout) {
        this.logTopic = logTopic;
        this.timeout = timeout;
        this.partition = new TopicPartition(logTopic, 0);
        Map<String, Object> producerSettings = AdminClients.onlyKnown(clientSettings, ProducerConfig.configNames());
        producerSettings.put(ProducerConfig.ACKS_CONFIG, "all");
        producerSettings.put(ProducerConfig.CLIENT_ID_CONFIG, "event-processor-growth-log");
        this.producer = new KafkaProducer<>(producerSettings, new StringSerializer(), new StringSerializer());
        Map<String, Object> consumerSettings = AdminClients.onlyKnown(clientSettings, ConsumerConfig.configNames());
        consumerSettings.put(ConsumerConfig.CLIENT_ID_CONFIG, "event-processor-growth-log-reader");
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new StringDeserializer());
    }

    /** Creates the compacted log topic unless it exists. */
    static void ensureTopic(Admin admin, String logTopic, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        NewTopic topic = new NewTopic(logTopic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Reads the log to its end: every topic's history as the replicas recorded it. */
    Map<String, GrowthHistory> read() {
        consumer.assign(Set.of(partition));
        consumer.seekToBeginning(Set.of(partition));
        long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the growth log " + logTopic + " could not be read to its end within " + timeout);
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.value() != null) {
                    histories.merge(record.key(), parse(record.key(), record.value()), GrowthLog::merge);
                }
            }
        }
        return Map.copyOf(histories);
    }

    /**
     * The topic's history with a count seen now: recorded (and written to the log) when the topic is new here or grew.
     */
    GrowthHistory seen(String topic, int partitions, Instant now)
            throws InterruptedException, ExecutionException, TimeoutException {
        GrowthHistory known = histories.get(topic);
        GrowthHistory next = known == null ? GrowthHistory.of(topic, partitions, now) : known.seen(partitions, now);
        if (next != known) {
            producer.send(new ProducerRecord<>(logTopic, 0, topic, format(next)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            histories.put(topic, next);
        }
        return next;
    }

    /** {@code 3@<epoch millis>;6@<epoch millis>}. */
    static String format(GrowthHistory history) {
        List<String> epochs = new ArrayList<>();
        history.epochs()
                .forEach(epoch ->
                        epochs.add(epoch.partitions() + "@" + epoch.since().toEpochMilli()));
        return String.join(";", epochs);
    }

    static GrowthHistory parse(String topic, String value) {
        List<GrowthHistory.Epoch> epochs = new ArrayList<>();
        for (String epoch : value.split(";")) {
            String[] parts = epoch.split("@");
            epochs.add(new GrowthHistory.Epoch(
                    Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1]))));
        }
        return new GrowthHistory(topic, epochs);
    }

    /** Two replicas' views of one topic: every count either saw, each dated by the earlier sighting. */
    static GrowthHistory merge(GrowthHistory a, GrowthHistory b) {
        Map<Integer, Instant> since = new TreeMap<>();
        for (GrowthHistory history : List.of(a, b)) {
            history.epochs()
                    .forEach(epoch -> since.merge(epoch.partitions(), epoch.since(), (x, y) -> x.isBefore(y) ? x : y));
        }
        List<GrowthHistory.Epoch> epochs = new ArrayList<>();
        Instant latest = Instant.MIN;
        for (Map.Entry<Integer, Instant> entry : since.entrySet()) {
            // Counts only grow: a count first seen before a smaller one was dated late by its replica.
            latest = entry.getValue().isAfter(latest) ? entry.getValue() : latest;
            epochs.add(new GrowthHistory.Epoch(entry.getKey(), latest));
        }
        return new GrowthHistory(a.topic(), epochs);
    }

    /** Every history recorded. */
    Map<String, GrowthHistory> histories() {
        return Map.copyOf(histories);
    }

    /** The history recorded for a topic, if any. */
    Optional<GrowthHistory> history(String topic) {
        return Optional.ofNullable(histories.get(topic));
    }

    @Override
    public void close() {
        producer.close(timeout);
        consumer.close(timeout);
    }
}
