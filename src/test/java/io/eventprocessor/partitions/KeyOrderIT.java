package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Per-key order through two growths with a backlog (issue 30's scenario), on the packaged jar: 50 keys written in order
 * (a sequence number per key) with Kafka's default partitioner into a topic of 3 partitions, then 6, then 9, every
 * growth recorded in the growth log by a replica of another group that watches the topic; then two replicas of the
 * group under test start on the whole backlog, and one is killed (SIGKILL) while moved keys are held. For every key,
 * the outputs' sequence numbers, in the order they were written, must grow: each record's first output comes after
 * the first output of every earlier record of its key (at-least-once repeats what the killed replica did not commit;
 * exactly-once writes each record once).
 */
class KeyOrderIT {

    private static final int KEYS = 50;
    private static final int PER_PHASE = 6_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @BeforeAll
    static void startBroker() {
        // A first call through Mutiny before the cases run two at a time: its context set-up is not thread-safe.
        InProcessKafkaResource.companion().topics().list();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "group-protocol={0}, delivery={1}")
    @CsvSource({"classic, at-least-once", "consumer, exactly-once", "consumer, at-least-once", "classic, exactly-once"})
    void movedKeysKeepTheirOrderThroughTwoGrowthsAndAKilledReplica(String protocol, String delivery) throws Exception {
        String topic = "order-" + protocol + "-" + delivery;
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, 3, topic + "-processed", 1, topic + "-watched", 1, topic + "-dlq", 1));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        Map<String, String> watcherEnvironment = IsolatedPipeline.processEnvironment(
                topic,
                topic + "-watcher",
                Map.of(
                        "PROCESSOR_TOPICS_PROCESSED", topic + "-watched",
                        "PROCESSOR_TOPICS_DEAD_LETTER", topic + "-dlq",
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "300ms"));
        Map<Integer, Integer> sequences = new HashMap<>();
        try (ServiceProcess watcher = ServiceProcess.start(topic + "-watcher", bootstrap, watcherEnvironment)) {
            awaitGrowthLogged(bootstrap, topic, 3);
            write(bootstrap, topic, sequences);
            IsolatedPipeline.growTopic(companion, topic, 6);
            awaitGrowthLogged(bootstrap, topic, 6);
            write(bootstrap, topic, sequences);
            IsolatedPipeline.growTopic(companion, topic, 9);
            awaitGrowthLogged(bootstrap, topic, 9);
            write(bootstrap, topic, sequences);
        }

        Map<String, String> environment = new HashMap<>(IsolatedPipeline.processEnvironment(
                topic,
                topic + "-group",
                Map.of(
                        "PROCESSOR_TOPICS_DEAD_LETTER",
                        topic + "-dlq",
                        "PROCESSOR_DELIVERY",
                        delivery,
                        "PROCESSOR_PARTITIONS_GROUP_PROTOCOL",
                        protocol,
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                        "300ms",
                        "PROCESSOR_KEY_ORDER_PRODUCER_REFRESH",
                        "2s",
                        "PROCESSOR_BATCH_SIZE",
                        "200")));
        if ("classic".equals(protocol)) {
            // The killed replica's partitions move after 10 s, not Kafka's 45 (the consumer protocol's timeout is the
            // broker's).
            environment.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
        }
        Set<String> ids = new HashSet<>();
        sequences.forEach((key, count) -> {
            for (int seq = 0; seq < count; seq++) {
                ids.add(id(key, seq));
            }
        });
        try (ServiceProcess m0 = ServiceProcess.launch(topic + "-m0", bootstrap, environment);
                ServiceProcess m1 = ServiceProcess.launch(topic + "-m1", bootstrap, environment)) {
            m0.awaitReady(Duration.ofSeconds(60));
            m1.awaitReady(Duration.ofSeconds(60));
            // Killed while it holds moved keys back (or, should it never be seen holding, half-way through).
            boolean[] holding = new boolean[1];
            Awaitility.await("m1 holding keys back, or half the records out")
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        holding[0] = !TopicRecords.json(m1.get("/partitions"))
                                .path("heldForOrder")
                                .isEmpty();
                        return holding[0]
                                || TopicRecords.endOffsetSum(companion, topic + "-processed", 1) > ids.size() / 2;
                    });
            m1.kill();
            List<ConsumerRecord<String, String>> outputs;
            try {
                outputs = "exactly-once".equals(delivery)
                        ? TopicRecords.assertEachIdOnce(
                                companion, topic + "-group", topic, topic + "-processed", ids, TIMEOUT)
                        : TopicRecords.awaitIds(companion, topic + "-processed", ids, TIMEOUT);
            } catch (ConditionTimeoutException missing) {
                throw new AssertionError(
                        missing.getMessage() + "; held for order: "
                                + TopicRecords.json(m0.get("/partitions")).path("heldForOrder"),
                        missing);
            }
            assertKeyOrder(outputs);
            System.out.printf(
                    "KeyOrderIT %s/%s: %d records of %d keys through 3 -> 6 -> 9 partitions, %d outputs, every key in "
                            + "order; a replica killed %s%n",
                    protocol,
                    delivery,
                    ids.size(),
                    KEYS,
                    outputs.size(),
                    holding[0] ? "while holding keys" : "half-way");
        }
    }

    /** Each key's first outputs, in the order written to the processed topic, carry growing sequence numbers. */
    private static void assertKeyOrder(List<ConsumerRecord<String, String>> outputs) {
        Map<String, List<Integer>> firstSeen = new LinkedHashMap<>();
        Map<String, Set<Integer>> seen = new HashMap<>();
        for (ConsumerRecord<String, String> output : outputs) {
            JsonNode event = TopicRecords.json(output);
            String key = event.path("key").asText();
            int seq = event.path("payload").path("seq").asInt();
            if (seen.computeIfAbsent(key, k -> new HashSet<>()).add(seq)) {
                firstSeen.computeIfAbsent(key, k -> new ArrayList<>()).add(seq);
            }
        }
        List<String> outOfOrder = new ArrayList<>();
        firstSeen.forEach((key, order) -> {
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i) < order.get(i - 1)) {
                    outOfOrder.add(key + ": " + order.get(i - 1) + " before " + order.get(i));
                    return;
                }
            }
        });
        assertThat(outOfOrder)
                .as("keys whose records were processed out of order")
                .isEmpty();
        assertThat(firstSeen).hasSize(KEYS);
    }

    /** {@value #PER_PHASE} records of the 50 keys in turn, by a new producer (which sees the current count). */
    private static void write(String bootstrap, String topic, Map<Integer, Integer> sequences) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < PER_PHASE; i++) {
                int key = i % KEYS;
                int seq = sequences.merge(key, 1, Integer::sum) - 1;
                String value = "{\"id\":\"" + id(key, seq) + "\",\"type\":\"order\",\"payload\":{\"seq\":" + seq + "}}";
                producer.send(new ProducerRecord<>(topic, "key-" + key, value));
            }
            producer.flush();
        }
    }

    private static String id(int key, int seq) {
        return "key-" + key + "-" + seq;
    }

    /** Waits until the growth log records {@code partitions} as the topic's latest count. */
    private static void awaitGrowthLogged(String bootstrap, String topic, int partitions) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        TopicPartition log = new TopicPartition("event-processor-growth", 0);
        try (KafkaConsumer<String, String> reader =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            Awaitility.await(topic + " logged with " + partitions + " partitions")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        reader.assign(List.of(log));
                        reader.seekToBeginning(List.of(log));
                        long end = reader.endOffsets(List.of(log)).get(log);
                        String latest = null;
                        while (reader.position(log) < end) {
                            for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                                if (topic.equals(record.key())) {
                                    latest = record.value();
                                }
                            }
                        }
                        return latest != null && latest.matches("(.*;)?" + partitions + "@\\d+");
                    });
        }
    }
}
