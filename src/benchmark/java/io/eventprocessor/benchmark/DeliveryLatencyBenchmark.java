package io.eventprocessor.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * End-to-end latency per delivery mode: events written straight into a 6-partition topic at a steady
 * {@value #RATE} per second for {@value #SECONDS} s, each timed from its send to the moment a
 * {@code read_committed} reader of the processed topic sees its output (exactly-once: when the batch's
 * transaction commits). One service (packaged jar) per mode, each on topics and a group of its own.
 */
final class DeliveryLatencyBenchmark {

    private static final int RATE = 200;
    private static final int SECONDS = 30;
    private static final int PARTITIONS = 6;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String bootstrapServers;
    private final ResultTable table;

    DeliveryLatencyBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    void run() throws Exception {
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            for (String delivery : List.of("at-least-once", "exactly-once")) {
                Figures millis = Figures.of(measure(admin, delivery));
                table.add(ResultTable.latencyRow(
                        "latency",
                        "append to input -> output visible to a read_committed " + "reader, processor.delivery="
                                + delivery + ", " + RATE + " events/s",
                        millis,
                        "",
                        ""));
            }
        }
    }

    private List<Double> measure(BrokerAdmin admin, String delivery) throws Exception {
        String input = "latency-" + delivery;
        String output = input + "-processed";
        admin.createTopic(input, PARTITIONS);
        admin.createTopic(output, PARTITIONS);
        Map<String, String> settings = new HashMap<>(BenchmarkIT.serviceEnvironment());
        settings.put("PROCESSOR_DELIVERY", delivery);
        Map<String, String> environment = IsolatedPipeline.processEnvironment(input, input + "-group", settings);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = new ArrayList<>();
        int expected = RATE * SECONDS;
        try (ServiceProcess service = ServiceProcess.launch(input, bootstrapServers, environment);
                Reader reader = new Reader(output, sentAt, latencies)) {
            service.awaitReady(Duration.ofSeconds(60));
            Awaitility.await(input + " partitions owned")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> service.get("/partitions").contains("\"unowned\":[]"));
            write(input, sentAt, expected);
            Awaitility.await(output + " complete")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> reader.seen() >= expected);
            service.terminate(Duration.ofSeconds(30));
        }
        System.out.printf("=== benchmark: latency %s: %d events%n", delivery, latencies.size());
        return latencies;
    }

    private void write(String topic, Map<String, Long> sentAt, int count) throws InterruptedException {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger next = new AtomicInteger();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new StringSerializer(),
                new StringSerializer())) {
            clock.scheduleAtFixedRate(
                    () -> {
                        int n = next.getAndIncrement();
                        if (n < count) {
                            sentAt.put(topic + "-" + n, System.nanoTime());
                            producer.send(new ProducerRecord<>(
                                    topic, n % PARTITIONS, null, EventValues.event(topic, n, 200)));
                        }
                    },
                    0,
                    1_000_000 / RATE,
                    TimeUnit.MICROSECONDS);
            Awaitility.await("all written")
                    .atMost(Duration.ofSeconds(SECONDS * 2L))
                    .until(() -> next.get() >= count);
            producer.flush();
        } finally {
            clock.shutdownNow();
        }
    }

    /** Reads the output topic as a read_committed reader and times each output against its input's send. */
    private final class Reader implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger seen = new AtomicInteger();
        private final Thread thread;

        Reader(String topic, Map<String, Long> sentAt, List<Double> latencies) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed"),
                    new StringDeserializer(),
                    new StringDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(
                    () -> {
                        try (consumer) {
                            while (running.get()) {
                                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                                    long now = System.nanoTime();
                                    Long sent = sentAt.remove(id(record));
                                    if (sent != null) {
                                        synchronized (latencies) {
                                            latencies.add((now - sent) / 1e6);
                                        }
                                        seen.incrementAndGet();
                                    }
                                }
                            }
                        }
                    },
                    "latency-reader");
            thread.start();
        }

        int seen() {
            return seen.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private static String id(ConsumerRecord<String, String> record) {
        try {
            return MAPPER.readTree(record.value()).path("id").asText();
        } catch (Exception e) {
            return "";
        }
    }
}
