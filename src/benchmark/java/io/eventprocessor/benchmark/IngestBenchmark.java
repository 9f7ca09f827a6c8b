package io.eventprocessor.benchmark;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.eventprocessor.kafka.Channels;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * Ingest: {@value #CLIENTS} concurrent clients each send batches of {@value #BATCH} events and wait for
 * the answer: {@code POST /events} to the service (202 only once the broker acknowledged all 100), and
 * the same batches through a plain {@code KafkaProducer} with the settings of the service's
 * {@code events-out} channel (send 100, wait for the 100 acknowledgements). The service's processor reads
 * another, idle topic, so both measure ingest alone. Each side first runs once unmeasured (13 s, the
 * service JVM has just started), and every round starts with 3 s unmeasured: events per second and
 * batch latency, per round.
 */
final class IngestBenchmark {

    static final int CLIENTS = 8;
    static final int BATCH = 100;
    private static final int EVENT_BYTES = 200;
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** Before the first round: long enough for the service's JIT to compile the request path. */
    private static final Duration WARM_UP_FIRST = Duration.ofSeconds(10);

    private static final Duration MEASURED = Duration.ofSeconds(Integer.getInteger("benchmark.ingest.seconds", 10));

    /** One client's batch: returns when the whole batch was acknowledged. */
    @FunctionalInterface
    private interface Batch {
        void send(long firstSeq) throws Exception;
    }

    private record Outcome(double eventsPerSecond, List<Double> latencyMillis) {}

    private final String bootstrapServers;
    private final ResultTable table;

    IngestBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    void run() throws Exception {
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            admin.createTopic("ingest-service", 6);
            admin.createTopic("ingest-raw", 6);
            admin.createTopic("ingest-idle", 1);
        }
        // POST /events writes to ingest-service (processor.topics.events); the processor reads ingest-idle, so
        // that ingest is measured alone, not beside the processing of what it writes.
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                "ingest-service", "ingest-idle", Map.of("MP_MESSAGING_INCOMING_EVENTS_IN_TOPIC", "ingest-idle"));
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Outcome> service = new ArrayList<>();
        List<Outcome> raw = new ArrayList<>();
        try (ServiceProcess process = ServiceProcess.start("ingest-service", bootstrapServers, environment);
                KafkaProducer<String, String> producer = plainProducer()) {
            URI events = process.eventsUri();
            Batch post = firstSeq -> {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(events)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        EventValues.requestBatch(firstSeq, BATCH, EVENT_BYTES)))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 202) {
                    throw new IllegalStateException(
                            "POST /events answered " + answer.statusCode() + ": " + answer.body());
                }
            };
            Batch send = firstSeq -> {
                List<Future<RecordMetadata>> acks = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    acks.add(producer.send(
                            new ProducerRecord<>("ingest-raw", EventValues.event("i", firstSeq + i, EVENT_BYTES))));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(30, TimeUnit.SECONDS);
                }
            };
            // Both sides warm (the service JVM has just started), then the measured rounds.
            drive(post, WARM_UP_FIRST);
            drive(send, WARM_UP_FIRST);
            for (int round = 1; round <= ROUNDS; round++) {
                if (round % 2 == 1) {
                    raw.add(drive(send, MEASURED));
                    service.add(drive(post, MEASURED));
                } else {
                    service.add(drive(post, MEASURED));
                    raw.add(drive(send, MEASURED));
                }
                System.out.printf(
                        "=== benchmark: ingest round %d: POST /events %.0f events/s, plain producer %.0f events/s%n",
                        round,
                        service.get(service.size() - 1).eventsPerSecond(),
                        raw.get(raw.size() - 1).eventsPerSecond());
            }
        }
        report(service, raw);
    }

    private KafkaProducer<String, String> plainProducer() {
        Map<String, Object> settings = new HashMap<>(ChannelKafkaProperties.producer(Channels.EVENTS_OUT));
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** Runs the clients for the warm-up and then the measured period; only measured batches count. */
    private Outcome drive(Batch batch, Duration measured) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Queue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong sequence = new AtomicLong();
        long measureFrom = System.nanoTime() + WARM_UP.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        List<Future<Long>> counts = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            counts.add(clients.submit(() -> {
                long measuredBatches = 0;
                while (System.nanoTime() < measureUntil) {
                    long start = System.nanoTime();
                    batch.send(sequence.getAndAdd(BATCH));
                    long end = System.nanoTime();
                    if (start >= measureFrom && end <= measureUntil) {
                        measuredBatches++;
                        latencies.add((end - start) / 1e6);
                    }
                }
                return measuredBatches;
            }));
        }
        long batches = 0;
        for (Future<Long> count : counts) {
            batches += count.get(measured.plus(WARM_UP).toSeconds() + 60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        return new Outcome(batches * BATCH / (measured.toNanos() / 1e9), List.copyOf(latencies));
    }

    private void report(List<Outcome> service, List<Outcome> raw) {
        String shape = CLIENTS + " clients, batches of " + BATCH + " x ~" + EVENT_BYTES + " B";
        Figures serviceRate =
                Figures.of(service.stream().map(Outcome::eventsPerSecond).toList());
        Figures rawRate = Figures.of(raw.stream().map(Outcome::eventsPerSecond).toList());
        table.add(new ResultTable.Row(
                "ingest",
                "POST /events, " + shape,
                "events/s",
                service.size(),
                ResultTable.format(serviceRate.median(), 0),
                ResultTable.format(serviceRate.max(), 0),
                "",
                ""));
        table.add(new ResultTable.Row(
                "ingest",
                "plain KafkaProducer, " + shape,
                "events/s",
                raw.size(),
                ResultTable.format(rawRate.median(), 0),
                ResultTable.format(rawRate.max(), 0),
                "",
                ""));
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < service.size(); i++) {
            ratios.add(service.get(i).eventsPerSecond() / raw.get(i).eventsPerSecond());
        }
        Figures ratio = Figures.of(ratios);
        table.add(new ResultTable.Row(
                "ingest",
                "POST /events / plain producer, same round",
                "ratio (median, worst round)",
                ratios.size(),
                ResultTable.format(ratio.median(), 2),
                ResultTable.format(ratio.min(), 2),
                "",
                ""));
        Figures serviceLatency = Figures.of(service.stream()
                .flatMap(outcome -> outcome.latencyMillis().stream())
                .toList());
        Figures rawLatency = Figures.of(raw.stream()
                .flatMap(outcome -> outcome.latencyMillis().stream())
                .toList());
        table.add(ResultTable.latencyRow("ingest", "POST /events batch of " + BATCH, serviceLatency, "", ""));
        table.add(ResultTable.latencyRow("ingest", "plain producer batch of " + BATCH, rawLatency, "", ""));
    }
}
