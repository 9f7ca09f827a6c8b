package io.eventprocessor.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TestKafkaBroker;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Soak: for {@code soak.duration} (default 2 min) records are produced continuously to a broker of its
 * own while the topic grows twice, the broker restarts and one of two service processes is killed
 * (a third joins); then it prints produced / processed / lost / duplicated and fails if anything was
 * lost. Runs only with {@code -Psoak} ({@code scripts/soak.sh}); not part of {@code ./mvnw verify}.
 */
class SoakIT {

    private static final String TOPIC = "soak-events";
    private static final String PROCESSED = TOPIC + "-processed";

    private final AtomicInteger partitions = new AtomicInteger(2);
    private volatile boolean producing = true;

    @Test
    void nothingIsLostUnderGrowthBrokerRestartAndMemberCrash() throws Exception {
        Duration duration =
                Duration.parse("PT" + System.getProperty("soak.duration", "120").trim() + "S");
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "soak-kafka-");
        TestKafkaBroker broker = TestKafkaBroker.create(0, dataDir, Map.of()).start();
        int port = broker.port();
        String bootstrap = broker.bootstrapServers();
        broker.ensureTopics(Map.of(TOPIC, 2, PROCESSED, 3));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                TOPIC, "soak-group", Map.of("MP_MESSAGING_INCOMING_EVENTS_IN_AUTO_OFFSET_RESET", "latest"));
        Set<String> produced = ConcurrentHashMap.newKeySet();
        List<String> timeline = new ArrayList<>();
        long start = System.nanoTime();

        try (KafkaCompanion companion = new KafkaCompanion(bootstrap);
                ServiceProcess first = ServiceProcess.start("soak-a", bootstrap, environment);
                ServiceProcess second = ServiceProcess.start("soak-b", bootstrap, environment)) {
            Thread producer = new Thread(() -> produce(companion, produced), "soak-producer");
            producer.start();
            long step = duration.toMillis() / 8;

            Thread.sleep(step);
            grow(companion, 3, timeline, start);
            Thread.sleep(step);
            grow(companion, 4, timeline, start);
            Thread.sleep(step);
            broker.close();
            timeline.add(at(start) + " broker stopped");
            Thread.sleep(5_000);
            broker = TestKafkaBroker.create(port, dataDir, Map.of()).start();
            timeline.add(at(start) + " broker started again");
            Thread.sleep(step);
            second.kill();
            timeline.add(at(start) + " soak-b killed (SIGKILL)");
            try (ServiceProcess third = ServiceProcess.start("soak-c", bootstrap, environment)) {
                timeline.add(at(start) + " soak-c joined");
                Thread.sleep(
                        Math.max(0, duration.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
                producing = false;
                producer.join(60_000);
                timeline.add(at(start) + " production stopped");

                Map<String, Integer> seen = new HashMap<>();
                try {
                    List<ConsumerRecord<String, String>> processed =
                            TopicRecords.awaitIds(companion, PROCESSED, Set.copyOf(produced), Duration.ofSeconds(120));
                    processed.forEach(
                            r -> seen.merge(TopicRecords.json(r).path("id").asText(), 1, Integer::sum));
                } finally {
                    report(produced, seen, timeline);
                }
                assertThat(seen.keySet()).containsAll(produced);
            }
        } finally {
            broker.close();
        }
    }

    private void produce(KafkaCompanion companion, Set<String> produced) {
        long sequence = 0;
        while (producing) {
            List<ProducerRecord<String, String>> batch = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++, sequence++) {
                String id = "soak-" + sequence;
                ids.add(id);
                batch.add(KafkaCompanion.record(
                        TOPIC,
                        (int) (sequence % partitions.get()),
                        null,
                        "{\"id\":\"" + id + "\",\"type\":\"soak\",\"payload\":" + sequence + "}"));
            }
            companion.produceStrings().fromRecords(batch).awaitCompletion(Duration.ofSeconds(120));
            produced.addAll(ids);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void grow(KafkaCompanion companion, int count, List<String> timeline, long start) throws Exception {
        companion
                .getOrCreateAdminClient()
                .createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(count)))
                .all()
                .get(30, TimeUnit.SECONDS);
        partitions.set(count);
        timeline.add(at(start) + " " + TOPIC + " grown to " + count + " partitions");
    }

    private static String at(long start) {
        return String.format("%6.1f s", (System.nanoTime() - start) / 1e9);
    }

    private static void report(Set<String> produced, Map<String, Integer> seen, List<String> timeline) {
        long processedUnique = produced.stream().filter(seen::containsKey).count();
        long duplicated = seen.values().stream().mapToLong(count -> count - 1).sum();
        StringBuilder out = new StringBuilder("\n=== soak ===\n");
        timeline.forEach(line -> out.append(line).append('\n'));
        out.append(String.format(
                "produced   %8d%nprocessed  %8d%nlost       %8d%nduplicated %8d%n",
                produced.size(), processedUnique, produced.size() - processedUnique, duplicated));
        System.out.println(out);
        Awaitility.reset();
    }
}
