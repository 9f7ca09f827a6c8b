package io.eventprocessor.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * A topic grown under a backlog, with key order through growth on and off: {@value #KEYS} keys written in order with
 * Kafka's default partitioner, a backlog of {@code benchmark.growth.records} (1,000,000) records of about
 * {@value #RECORD_BYTES} bytes on 3 partitions; the service starts on it, and once a fifth of it is processed the topic
 * grows to 6 and a new producer writes {@value #AFTER} more records of the same keys. Measured from the growth: the
 * moved keys' first processed record (from a new partition) and the backlog's drain (its last record processed); the
 * output rate during the drain against the rate before the growth; peak RSS; and how many keys came out of order.
 */
final class GrowthOrderBenchmark {

    private static final int KEYS = 50;
    private static final int RECORD_BYTES = 200;
    private static final int AFTER = 60_000;
    private static final int BACKLOG = Integer.getInteger("benchmark.growth.records", 1_000_000);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String bootstrapServers;
    private final ResultTable table;

    GrowthOrderBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    /** One run's figures, seconds from the growth. */
    private record Outcome(
            double movedFirst,
            double drained,
            double rateBefore,
            double rateDuringDrain,
            double peakRssMib,
            int keysOutOfOrder,
            long recordsOutOfOrder,
            int lost) {}

    void run() throws Exception {
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            Outcome held = measure(admin, true);
            Outcome plain = measure(admin, false);
            String subject = String.format(
                    Locale.ROOT, "3 -> 6 partitions under a backlog of %,d records of %d keys", BACKLOG, KEYS);
            for (Outcome outcome : List.of(held, plain)) {
                String mode = outcome == held ? "key order on (producer refresh 5 s)" : "key order off";
                table.add(new ResultTable.Row(
                        "growth",
                        subject + ", " + mode,
                        "s from growth to moved keys' first record / backlog drained",
                        1,
                        ResultTable.format(outcome.movedFirst(), 2) + " / " + ResultTable.format(outcome.drained(), 2),
                        "",
                        "",
                        ""));
                table.add(new ResultTable.Row(
                        "growth",
                        mode + ": records/s while the backlog drains / before the growth",
                        "records/s (ratio in max column)",
                        1,
                        String.format(Locale.ROOT, "%,.0f / %,.0f", outcome.rateDuringDrain(), outcome.rateBefore()),
                        ResultTable.format(outcome.rateDuringDrain() / outcome.rateBefore(), 2),
                        "",
                        ""));
                table.add(new ResultTable.Row(
                        "growth",
                        mode + ": keys out of order / records processed before an earlier one of their key; peak RSS",
                        "keys / records; MiB",
                        1,
                        outcome.keysOutOfOrder() + " / " + outcome.recordsOutOfOrder() + "; "
                                + ResultTable.format(outcome.peakRssMib(), 0),
                        "",
                        outcome == held ? "0 / 0" : "",
                        outcome == held ? (outcome.keysOutOfOrder() == 0 ? "met" : "missed") : ""));
                if (outcome.lost() > 0) {
                    table.problem("growth, " + mode + ": " + outcome.lost() + " records never processed");
                }
            }
            if (held.keysOutOfOrder() > 0) {
                table.problem("growth with key order on: " + held.keysOutOfOrder() + " keys out of order");
            }
        }
    }

    private Outcome measure(BrokerAdmin admin, boolean keyOrder) throws Exception {
        String input = "growth-" + (keyOrder ? "held" : "plain");
        String output = input + "-processed";
        admin.createTopic(input, 3);
        admin.createTopic(output, 1);
        Map<String, Integer> sequences = new HashMap<>();
        write(input, sequences, BACKLOG);
        Map<String, Integer> beforeGrowth = new HashMap<>(sequences);
        Map<String, String> settings = new HashMap<>(BenchmarkIT.serviceEnvironment());
        settings.put("PROCESSOR_KEY_ORDER_ENABLED", String.valueOf(keyOrder));
        settings.put("PROCESSOR_KEY_ORDER_PRODUCER_REFRESH", "5s");
        Map<String, String> environment = IsolatedPipeline.processEnvironment(input, input + "-group", settings);
        int expected = BACKLOG + AFTER;
        try (Outputs outputs = new Outputs(output);
                ServiceProcess service = ServiceProcess.launch(input, bootstrapServers, environment);
                ResidentMemory memory = ResidentMemory.watch(service.pid())) {
            service.awaitReady(Duration.ofSeconds(60));
            Awaitility.await(input + ": a fifth of the backlog processed")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> outputs.count() >= BACKLOG / 5);
            admin.growTopic(input, 6);
            Instant grown = Instant.now();
            // The writer below is a producer created after the growth: it maps keys over 6 partitions from its first
            // send (a producer created before would go on with 3 until its metadata refresh).
            Awaitility.await(input + " grown")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> admin.partitions(input).size() == 6);
            write(input, sequences, AFTER);
            Awaitility.await(input + ": every record processed")
                    .atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> outputs.distinct() >= expected);
            service.terminate(Duration.ofSeconds(30));
            Outcome outcome = outputs.outcome(grown, beforeGrowth, expected, memory.peakMib());
            System.out.printf("=== benchmark: growth, key order %s: %s%n", keyOrder ? "on" : "off", outcome);
            return outcome;
        } catch (org.awaitility.core.ConditionTimeoutException timeout) {
            table.problem("growth, key order " + keyOrder + ": " + timeout.getMessage());
            return new Outcome(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0);
        }
    }

    /** Writes {@code count} records round-robin over the keys, each key's sequence going on from {@code sequences}. */
    private void write(String topic, Map<String, Integer> sequences, int count) {
        try (KafkaProducer<String, String> producer = BulkProducer.open(bootstrapServers)) {
            for (int i = 0; i < count; i++) {
                String key = String.format(Locale.ROOT, "k%02d", i % KEYS);
                int seq = sequences.merge(key, 1, Integer::sum) - 1;
                producer.send(new ProducerRecord<>(topic, key, EventValues.event(key + "~", seq, RECORD_BYTES)));
            }
            producer.flush();
        }
    }

    /** The processed topic (one partition) read as it fills: each output's id, source partition and time. */
    private final class Outputs implements AutoCloseable {

        private record Output(String key, int seq, int sourcePartition, Instant processedAt) {}

        private final List<Output> seen = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Outputs(String topic) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                    new StringDeserializer(),
                    new StringDeserializer());
            TopicPartition only = new TopicPartition(topic, 0);
            consumer.assign(List.of(only));
            consumer.seekToBeginning(List.of(only));
            thread = new Thread(
                    () -> {
                        try (consumer) {
                            while (running.get()) {
                                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                                    add(record.value());
                                }
                            }
                        }
                    },
                    "growth-outputs");
            thread.start();
        }

        private void add(String value) {
            try {
                JsonNode event = MAPPER.readTree(value);
                String id = event.path("id").asText();
                int split = id.indexOf("~-");
                Output output = new Output(
                        id.substring(0, split),
                        Integer.parseInt(id.substring(split + 2)),
                        event.path("source").path("partition").asInt(),
                        Instant.parse(event.path("processedAt").asText()));
                synchronized (this) {
                    seen.add(output);
                    ids.add(id);
                }
            } catch (Exception e) {
                System.out.println("=== benchmark: growth: unreadable output " + value);
            }
        }

        synchronized int count() {
            return seen.size();
        }

        synchronized int distinct() {
            return ids.size();
        }

        synchronized Outcome outcome(
                Instant grown, Map<String, Integer> beforeGrowth, int expected, double peakRssMib) {
            Instant first = seen.get(0).processedAt();
            Instant drained = first;
            Instant movedFirst = null;
            long before = 0;
            Map<String, Integer> highest = new HashMap<>();
            Set<String> outOfOrderKeys = new HashSet<>();
            long outOfOrder = 0;
            for (Output output : seen) {
                if (output.processedAt().isBefore(grown)) {
                    before++;
                }
                if (output.seq() < beforeGrowth.getOrDefault(output.key(), 0)
                        && output.processedAt().isAfter(drained)) {
                    drained = output.processedAt();
                }
                if (output.sourcePartition() >= 3
                        && (movedFirst == null || output.processedAt().isBefore(movedFirst))) {
                    movedFirst = output.processedAt();
                }
                Integer top = highest.get(output.key());
                if (top != null && output.seq() < top) {
                    outOfOrder++;
                    outOfOrderKeys.add(output.key());
                } else {
                    highest.put(output.key(), output.seq());
                }
            }
            double drainSeconds = seconds(grown, drained);
            long duringDrain = seen.stream()
                    .filter(output -> output.processedAt().isAfter(grown)
                            && !output.processedAt().isAfter(grown.plusMillis((long) (drainSeconds * 1000))))
                    .count();
            return new Outcome(
                    movedFirst == null ? Double.NaN : seconds(grown, movedFirst),
                    drainSeconds,
                    before / seconds(first, grown),
                    duringDrain / drainSeconds,
                    peakRssMib,
                    outOfOrderKeys.size(),
                    outOfOrder,
                    expected - ids.size());
        }

        private static double seconds(Instant from, Instant to) {
            return Duration.between(from, to).toNanos() / 1e9;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
