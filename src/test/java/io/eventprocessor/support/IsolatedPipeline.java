package io.eventprocessor.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;

import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Helpers for tests that run the pipeline on topics and a group of their own. */
public final class IsolatedPipeline {

    private IsolatedPipeline() {
    }

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

    /**
     * Writes {@code count} events straight into one partition, bypassing the service.
     *
     * @return their ids, {@code <idPrefix>-0} onwards
     */
    public static List<String> writeStraightInto(KafkaCompanion companion, String topic, int partition, String idPrefix,
            int count) {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = idPrefix + "-" + i;
            ids.add(id);
            records.add(KafkaCompanion.record(topic, partition, null,
                    "{\"id\":\"" + id + "\",\"type\":\"direct\",\"payload\":" + i + "}"));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion();
        return ids;
    }
}
