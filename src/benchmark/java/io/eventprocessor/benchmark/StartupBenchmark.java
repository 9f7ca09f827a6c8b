package io.eventprocessor.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * Start-up: seconds from launching the packaged jar ({@code java -jar}) to its first processed record
 * on the output topic (one event waits on the input topic; each run is a fresh group), and the
 * process's resident memory at that moment.
 */
final class StartupBenchmark {

    private static final int RUNS = Integer.getInteger("benchmark.rounds", 3);
    private static final String INPUT = "startup-in";

    private final String bootstrapServers;
    private final ResultTable table;

    StartupBenchmark(String bootstrapServers, ResultTable table) {
        this.bootstrapServers = bootstrapServers;
        this.table = table;
    }

    void run() throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        try (BrokerAdmin admin = new BrokerAdmin(bootstrapServers)) {
            admin.createTopic(INPUT, 1);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                    new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(INPUT, EventValues.event("startup", 1, 200)));
            }
            for (int run = 1; run <= RUNS; run++) {
                String output = "startup-out-" + run;
                admin.createTopic(output, 1);
                Map<String, String> environment = IsolatedPipeline.processEnvironment(
                        INPUT, "startup-" + run, Map.of("PROCESSOR_TOPICS_PROCESSED", output));
                long launched = System.nanoTime();
                try (ServiceProcess service = ServiceProcess.launch("startup-" + run, bootstrapServers, environment)) {
                    Awaitility.await(output + " gets its first record")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> admin.records(output) > 0);
                    seconds.add((System.nanoTime() - launched) / 1e9);
                    rss.add(ResidentMemory.mibOf(service.pid()));
                    service.terminate(Duration.ofSeconds(30));
                }
            }
        }
        Figures startup = Figures.of(seconds);
        Figures memory = Figures.of(rss);
        table.add(new ResultTable.Row(
                "startup",
                "packaged jar (java -jar " + String.join(" ", ServiceProcess.JVM_OPTIONS) + "), fresh group",
                "s from process start to first processed record",
                startup.count(),
                ResultTable.format(startup.median(), 2),
                ResultTable.format(startup.max(), 2),
                "",
                ""));
        table.add(new ResultTable.Row(
                "memory",
                "service RSS at its first processed record",
                "MiB",
                memory.count(),
                ResultTable.format(memory.median(), 0),
                ResultTable.format(memory.max(), 0),
                "",
                ""));
    }
}
