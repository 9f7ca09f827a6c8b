package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.RestLoad;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * SIGTERM mid-stream: the packaged jar exits within a bound, having committed what it processed; a
 * restarted instance processes the rest and re-processes only records at or after the committed
 * offsets. Nothing is lost.
 */
class GracefulShutdownIT {

    private static final String TOPIC = "shutdown-events";
    private static final String GROUP = "shutdown-group";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 8000;
    /** The shutdown delay (10 s), the drain (at most 15 s) and closing the channels: the manifest's grace period. */
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(40);

    private static final int CLIENTS = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int STOPS = 8;

    @Test
    void sigtermCommitsWhatWasProcessedAndARestartFinishesTheRest() throws Exception {
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(TOPIC, PARTITIONS, TOPIC + "-processed", 1));
        // No shutdown delay: this test is about what is committed, not about the readiness window (the next one is).
        Map<String, String> environment =
                IsolatedPipeline.processEnvironment(TOPIC, GROUP, Map.of("QUARKUS_SHUTDOWN_DELAY", "0s"));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        Set<String> ids = ConcurrentHashMap.newKeySet();

        Map<TopicPartition, OffsetAndMetadata> committedAtShutdown;
        Thread writer = new Thread(() -> write(companion, ids), "shutdown-writer");
        try (ServiceProcess first = ServiceProcess.start("shutdown-first", bootstrap, environment)) {
            writer.start();
            TopicRecords.await(companion, TOPIC + "-processed", r -> true, RECORDS / 5, TIMEOUT);
            assertThat(writer.isAlive())
                    .as("still writing when SIGTERM is sent")
                    .isTrue();
            Duration exit = first.terminate(TERMINATION_GRACE);
            System.out.printf("GracefulShutdownIT: exited %d ms after SIGTERM%n", exit.toMillis());
            committedAtShutdown = companion
                    .getOrCreateAdminClient()
                    .listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }

        writer.join(TIMEOUT.toMillis());
        assertThat(ids).hasSize(RECORDS);
        try (ServiceProcess second = ServiceProcess.start("shutdown-second", bootstrap, environment)) {
            List<ConsumerRecord<String, String>> processed =
                    TopicRecords.awaitIds(companion, TOPIC + "-processed", ids, TIMEOUT);

            Map<String, Integer> seen = new HashMap<>();
            List<JsonNode> reprocessed = new ArrayList<>();
            for (ConsumerRecord<String, String> record : processed) {
                JsonNode event = TopicRecords.json(record);
                if (seen.merge(event.path("id").asText(), 1, Integer::sum) > 1) {
                    reprocessed.add(event);
                }
            }
            long byFirst = processed.stream()
                    .filter(r -> r.value().contains("\"processedBy\":\"shutdown-first\""))
                    .count();
            System.out.printf(
                    "GracefulShutdownIT: %d records, %d processed before SIGTERM, %d re-processed after restart%n",
                    ids.size(), byFirst, reprocessed.size());
            assertThat(byFirst).isPositive();
            // Everything the first instance processed was committed before it exited, and the restarted one starts
            // at the committed offsets: every output of the first is below its partition's committed offset, every
            // output of the second (re-processed or new) at or above it.
            for (ConsumerRecord<String, String> record : processed) {
                JsonNode event = TopicRecords.json(record);
                TopicPartition partition = new TopicPartition(
                        TOPIC, event.path("source").path("partition").asInt());
                OffsetAndMetadata committed = committedAtShutdown.get(partition);
                assertThat(committed)
                        .as("committed offset of " + partition + " at shutdown")
                        .isNotNull();
                long offset = event.path("source").path("offset").asLong();
                if (event.path("processedBy").asText().equals("shutdown-first")) {
                    assertThat(offset)
                            .as("processed before the SIGTERM, and committed")
                            .isLessThan(committed.offset());
                } else {
                    assertThat(offset).as("processed after the restart").isGreaterThanOrEqualTo(committed.offset());
                }
            }
        }
    }

    /**
     * SIGTERM while 8 clients post without pause: readiness goes DOWN while events are still accepted (the shutdown
     * delay), then new requests get a clean {@code 503} + {@code Retry-After}, every request that reached the service
     * gets a complete answer (no connection closed or reset mid-request), the process exits within the manifest's
     * termination grace period, and every accepted event is processed (by a restarted instance, if need be).
     */
    @Test
    void sigtermWhileEightClientsPostAnswersEveryRequestThatReachedTheService() throws Exception {
        String topic = "drain-events";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, PARTITIONS, topic + "-processed", 1));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(topic, "drain-group", Map.of());
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        List<RestLoad> clients = new ArrayList<>();
        Set<String> accepted = new HashSet<>();
        int refused = 0;
        int unreached = 0;
        Duration exit;
        try (ServiceProcess service = ServiceProcess.start("drain-first", bootstrap, environment)) {
            URI events = service.eventsUri();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(RestLoad.startHonouringRetryAfter(events, "drain-" + i, Duration.ZERO));
            }
            for (RestLoad client : clients) {
                client.awaitMore(20, TIMEOUT);
            }
            long start = System.nanoTime();
            service.sigterm();
            Awaitility.await("readiness DOWN after SIGTERM")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> service.status("/q/health/ready") == 503);
            for (RestLoad client : clients) {
                client.awaitMore(5, Duration.ofSeconds(5)); // still accepted during the shutdown delay
            }
            assertThat(service.awaitExit(TERMINATION_GRACE))
                    .as("exit code: a JVM that ran its shutdown on SIGTERM")
                    .isEqualTo(143);
            exit = Duration.ofNanos(System.nanoTime() - start);
        } finally {
            for (RestLoad client : clients) {
                client.close();
            }
        }
        for (RestLoad client : clients) {
            client.assertNoFailure();
            accepted.addAll(client.ids());
            refused += client.refused();
            unreached += client.unreached();
        }
        System.out.printf(
                "GracefulShutdownIT: %d clients, exit %d ms after SIGTERM; %d events accepted, %d requests "
                        + "refused with 503 from 1 s before the end of the delay, %d connections refused after exit%n",
                CLIENTS, exit.toMillis(), accepted.size(), refused, unreached);
        assertThat(refused)
                .as("requests answered 503 + Retry-After from 1 s before the end of the delay")
                .isPositive();
        try (ServiceProcess second = ServiceProcess.start("drain-second", bootstrap, environment)) {
            TopicRecords.awaitIds(companion, topic + "-processed", accepted, TIMEOUT);
        }
    }

    /**
     * SIGTERM while one client posts without pause and the broker is slow to acknowledge (the producer lingers
     * 300 ms), so that the client posts again the moment it gets a {@code 202}. Had the gate closed only when Quarkus
     * starts waiting for the requests in hand, that next request would often reach the server as it closes and be cut
     * (2 of 2 runs); it gets a complete answer ({@code 503} + {@code Retry-After}) or finds the port closed.
     */
    @Test
    void sigtermWhileTheLastRequestInHandIsAcceptedAnswersTheClientsNextRequest() throws Exception {
        String topic = "slow-ack-events";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, PARTITIONS, topic + "-processed", 1));
        Map<String, String> environment =
                IsolatedPipeline.processEnvironment(topic, "slow-ack-group", Map.of("KAFKA_LINGER_MS", "300"));
        RestLoad client;
        try (ServiceProcess service =
                ServiceProcess.start("slow-ack-first", InProcessKafkaResource.bootstrapServers(), environment)) {
            client = RestLoad.startHonouringRetryAfter(service.eventsUri(), "slow-ack", Duration.ZERO);
            try {
                client.awaitMore(20, TIMEOUT);
                service.sigterm();
                assertThat(service.awaitExit(TERMINATION_GRACE))
                        .as("exit code: a JVM that ran its shutdown on SIGTERM")
                        .isEqualTo(143);
            } finally {
                client.close();
            }
        }
        System.out.printf(
                "GracefulShutdownIT: one client, slow acknowledgements: %d events accepted, %d requests refused "
                        + "with 503, %d connections refused after exit%n",
                client.ids().size(), client.refused(), client.unreached());
        assertThat(client.refused() + client.unreached())
                .as("requests after the delay: refused, or the port closed")
                .isPositive();
    }

    /**
     * SIGTERMs in a row while records keep arriving, without a shutdown delay, so that the consumer closes while
     * the connector's periodic offset commit (every {@code auto.commit.interval.ms}) may be in flight: after each
     * exit, every record that instance processed is below its partition's committed offset. The connector's close
     * wakes the consumer up, which fails such a commit ({@code SRMSG18252 ... WakeupException}), and it never
     * commits those offsets again; the rebalance listener commits what was processed when the close revokes the
     * partitions ({@code OffsetCommits}). Without it, 4 of {@value #STOPS} stops left 20 processed records each
     * uncommitted in the first run here (one batch that ended after the connector's final commit).
     */
    @Test
    void everySigtermUnderLoadLeavesWhatWasProcessedCommitted() throws Exception {
        String topic = "restarts-events";
        String group = "restarts-group";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, PARTITIONS, topic + "-processed", 1));
        Map<String, String> environment =
                IsolatedPipeline.processEnvironment(topic, group, Map.of("QUARKUS_SHUTDOWN_DELAY", "0s"));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(
                () -> {
                    for (int batch = 0; writing.get(); batch++) {
                        List<ProducerRecord<String, String>> records = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            records.add(KafkaCompanion.record(
                                    topic,
                                    i % PARTITIONS,
                                    null,
                                    "{\"id\":\"restarts-" + batch + "-" + i + "\",\"type\":\"restart\",\"payload\":" + i
                                            + "}"));
                        }
                        companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);
                        if (!pauseBetweenBatches()) {
                            return;
                        }
                    }
                },
                "restarts-writer");
        writer.start();
        List<String> uncommitted = new ArrayList<>();
        try {
            for (int stop = 1; stop <= STOPS; stop++) {
                String name = "restarts-" + stop;
                try (ServiceProcess service = ServiceProcess.start(name, bootstrap, environment)) {
                    TopicRecords.await(
                            companion, topic + "-processed", TopicRecords.hasField("processedBy", name), 100, TIMEOUT);
                    service.terminate(TERMINATION_GRACE);
                }
                Map<TopicPartition, OffsetAndMetadata> committed = companion
                        .getOrCreateAdminClient()
                        .listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                for (ConsumerRecord<String, String> output :
                        TopicRecords.readCommitted(companion, topic + "-processed")) {
                    JsonNode event = TopicRecords.json(output);
                    TopicPartition source = new TopicPartition(
                            topic, event.path("source").path("partition").asInt());
                    long offset = event.path("source").path("offset").asLong();
                    OffsetAndMetadata next = committed.get(source);
                    if (event.path("processedBy").asText().equals(name) && (next == null || offset >= next.offset())) {
                        uncommitted.add(name + ": " + source + " offset " + offset + " (committed " + next + ")");
                    }
                }
            }
        } finally {
            writing.set(false);
            writer.join(TIMEOUT.toMillis());
        }
        System.out.printf(
                "GracefulShutdownIT: %d stops under load, %d processed records left uncommitted%n",
                STOPS, uncommitted.size());
        assertThat(uncommitted)
                .as("records processed before a SIGTERM whose offsets were not committed")
                .isEmpty();
    }

    /** The writers' pace: 50 ms between batches; false when interrupted. */
    private static boolean pauseBetweenBatches() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes {@link #RECORDS} records in batches of 100, one batch every 50 ms (about 8 s in all). */
    private static void write(KafkaCompanion companion, Set<String> ids) {
        for (int batch = 0; batch < RECORDS / 100; batch++) {
            List<ProducerRecord<String, String>> records = new ArrayList<>();
            List<String> batchIds = new ArrayList<>();
            for (int i = batch * 100; i < (batch + 1) * 100; i++) {
                String id = "shutdown-" + i;
                batchIds.add(id);
                records.add(KafkaCompanion.record(
                        TOPIC,
                        i % PARTITIONS,
                        null,
                        "{\"id\":\"" + id + "\",\"type\":\"shutdown\",\"payload\":" + i + "}"));
            }
            companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);
            ids.addAll(batchIds);
            if (!pauseBetweenBatches()) {
                return;
            }
        }
    }
}
