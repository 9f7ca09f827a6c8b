package io.eventprocessor.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Helpers for tests that run the pipeline on topics and a group of their own. */
public final class IsolatedPipeline {

    private IsolatedPipeline() {}

    /**
     * Configuration that points the service at topic {@code topic} (and {@code topic-processed}) with
     * consumer group {@code group}, its ownership checked every 300 ms; {@code extra} wins.
     */
    public static Map<String, String> config(String topic, String group, Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("processor.topics.events", topic);
        config.put("processor.topics.processed", topic + "-processed");
        config.put("mp.messaging.incoming.events-in.group.id", group);
        config.put("processor.partitions.check-interval", "300ms");
        config.putAll(extra);
        return config;
    }

    /** Ownership checked every 300 ms with 1 s timeouts: broker faults show within a second. */
    public static final Map<String, String> FAST_OWNERSHIP_CHECKS = Map.of(
            "processor.partitions.check-interval", "300ms",
            "processor.partitions.check-timeout", "1s");

    /**
     * Environment variables that point a service process (the packaged jar) at topic {@code topic}
     * (and {@code topic-processed}) with consumer group {@code group}; {@code extra} wins.
     */
    public static Map<String, String> processEnvironment(String topic, String group, Map<String, String> extra) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PROCESSOR_TOPICS_EVENTS", topic);
        environment.put("PROCESSOR_TOPICS_PROCESSED", topic + "-processed");
        environment.put("MP_MESSAGING_INCOMING_EVENTS_IN_GROUP_ID", group);
        environment.putAll(extra);
        return environment;
    }

    /** Grows the topic to {@code partitions} partitions, waiting up to 30 s for the broker to do it. */
    public static void growTopic(KafkaCompanion companion, String topic, int partitions) throws Exception {
        companion
                .getOrCreateAdminClient()
                .createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * Writes {@code count} events straight into one partition, bypassing the service.
     *
     * @return their ids, {@code <idPrefix>-0} onwards
     */
    public static List<String> writeStraightInto(
            KafkaCompanion companion, String topic, int partition, String idPrefix, int count) {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = idPrefix + "-" + i;
            ids.add(id);
            records.add(KafkaCompanion.record(
                    topic, partition, null, "{\"id\":\"" + id + "\",\"type\":\"direct\",\"payload\":" + i + "}"));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion();
        return ids;
    }
}
