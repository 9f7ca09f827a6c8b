package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The article's scenario, on the packaged jar: two replicas in one group consume two topics of three partitions each
 * ({@code t0}, {@code t1}) by pattern, under {@code auto.offset.reset=latest}, with each assignor of each group protocol.
 * The assignment is printed as the article prints it ({@code M0: [t0p0, t0p2, t1p1]}) and asserted where the assignor
 * decides it alone; then {@code t1} grows and a new topic {@code t2} starts to match the pattern, each written to
 * straight away: nothing written to them is lost, each output goes to the processed topic of its input
 * ({@code {topic}-processed}), and the pickup times are printed.
 */
class ConsumedTopicsIT {

    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_PARTITION = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    static Stream<Arguments> assignors() {
        return Stream.of(
                Arguments.of("classic", "range"),
                Arguments.of("classic", "roundrobin"),
                Arguments.of("classic", "sticky"),
                Arguments.of("classic", "cooperative-sticky"),
                Arguments.of("consumer", "uniform"),
                Arguments.of("consumer", "range"));
    }

    /**
     * What the article shows for two members and {@code t0}, {@code t1} of three partitions, where the assignor fixes it
     * (range works per topic, so it is unbalanced; the consumer protocol's server-side range assigns the same); the
     * others balance.
     */
    private static final Map<String, Set<List<String>>> DETERMINISTIC = Map.of(
            "range",
            Set.of(List.of("t0p0", "t0p1", "t1p0", "t1p1"), List.of("t0p2", "t1p2")),
            "roundrobin",
            Set.of(List.of("t0p0", "t0p2", "t1p1"), List.of("t0p1", "t1p0", "t1p2")));

    /** The broker and its companion, started before the cases run two at a time. */
    @BeforeAll
    static void startBroker() {
        InProcessKafkaResource.companion();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "group-protocol={0}, assignor={1}")
    @MethodSource("assignors")
    void twoTopicsByPatternThenAGrownTopicAndANewOneLoseNothing(String protocol, String assignor) throws Exception {
        String prefix = "art-" + protocol + "-" + assignor;
        KafkaCompanion companion = InProcessKafkaResource.companion();
        String t0 = prefix + "-t0";
        String t1 = prefix + "-t1";
        String t2 = prefix + "-t2";
        companion.topics().create(Map.of(t0, PARTITIONS, t1, PARTITIONS));
        companion
                .topics()
                .create(Map.of(t0 + "-processed", 1, t1 + "-processed", 1, t2 + "-processed", 1, prefix + "-dlq", 1));
        Map<String, String> environment = new HashMap<>(IsolatedPipeline.processEnvironment(
                t0,
                prefix + "-group",
                Map.of(
                        "PROCESSOR_TOPICS_CONSUME_PATTERN",
                        prefix + "-t[0-9]+",
                        "PROCESSOR_TOPICS_PROCESSED",
                        "{topic}-processed",
                        "PROCESSOR_TOPICS_DEAD_LETTER",
                        prefix + "-dlq",
                        "PROCESSOR_PARTITIONS_GROUP_PROTOCOL",
                        protocol,
                        "PROCESSOR_PARTITIONS_ASSIGNOR",
                        assignor,
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                        "500ms",
                        "MP_MESSAGING_INCOMING_EVENTS_IN_AUTO_OFFSET_RESET",
                        "latest")));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        try (ServiceProcess m0 = ServiceProcess.start(prefix + "-m0", bootstrap, environment);
                ServiceProcess m1 = ServiceProcess.start(prefix + "-m1", bootstrap, environment)) {
            JsonNode settled = awaitEveryPartitionOwned(m0, 2 * PARTITIONS, 2);
            Map<String, List<String>> assignment = assignment(settled, prefix);
            System.out.printf(
                    "ConsumedTopicsIT %s/%s assignment:%n%s%n",
                    protocol,
                    assignor,
                    assignment.entrySet().stream()
                            .map(member -> "  " + member.getKey() + ": " + member.getValue())
                            .collect(Collectors.joining("\n")));
            if (DETERMINISTIC.containsKey(assignor)) {
                assertThat(Set.copyOf(assignment.values())).isEqualTo(DETERMINISTIC.get(assignor));
            } else {
                assertThat(assignment.values())
                        .allSatisfy(partitions ->
                                assertThat(partitions).as("balanced").hasSize(PARTITIONS));
            }

            Set<String> ids = new HashSet<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                ids.addAll(IsolatedPipeline.writeStraightInto(
                        companion, t0, partition, t0 + "-p" + partition, RECORDS_PER_PARTITION));
            }
            TopicRecords.awaitIds(companion, t0 + "-processed", ids, TIMEOUT);

            Instant grown = Instant.now();
            IsolatedPipeline.growTopic(companion, t1, PARTITIONS + 1);
            Set<String> onNewPartition = Set.copyOf(IsolatedPipeline.writeStraightInto(
                    companion, t1, PARTITIONS, t1 + "-p" + PARTITIONS, RECORDS_PER_PARTITION));
            Instant created = Instant.now();
            companion.topics().create(Map.of(t2, PARTITIONS));
            Set<String> onNewTopic = new HashSet<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                onNewTopic.addAll(IsolatedPipeline.writeStraightInto(
                        companion, t2, partition, t2 + "-p" + partition, RECORDS_PER_PARTITION));
            }

            List<ConsumerRecord<String, String>> grownOutputs =
                    TopicRecords.awaitIds(companion, t1 + "-processed", onNewPartition, TIMEOUT);
            List<ConsumerRecord<String, String>> newTopicOutputs =
                    TopicRecords.awaitIds(companion, t2 + "-processed", onNewTopic, TIMEOUT);
            assertThat(newTopicOutputs)
                    .extracting(record -> TopicRecords.json(record)
                            .path("source")
                            .path("topic")
                            .asText())
                    .as("source.topic names the input")
                    .containsOnly(t2);
            JsonNode after = awaitEveryPartitionOwned(m0, 3 * PARTITIONS + 1, 2);
            System.out.printf(
                    "ConsumedTopicsIT %s/%s: %s grown to %d partitions, picked up after %.1f s; %s created, picked up"
                            + " after %.1f s; %d records on them, none lost%n",
                    protocol,
                    assignor,
                    t1,
                    PARTITIONS + 1,
                    firstProcessed(grownOutputs, grown),
                    t2,
                    firstProcessed(newTopicOutputs, created),
                    onNewPartition.size() + onNewTopic.size());
            assertThat(after.path("members").asInt()).isEqualTo(2);
            assertThat(m0.get("/q/metrics"))
                    .as("the gauges of the new topic")
                    .contains("event_processor_partitions{group=\"" + prefix + "-group\",topic=\"" + t2 + "\"} 3.0");
        }
    }

    /**
     * A listed topic that is deleted while the service runs is reported ({@code missingTopics}) and dropped: its
     * partitions leave the ownership check, liveness stays UP past the grace period, the other topic is still read.
     */
    @Test
    void aDeletedListedTopicIsReportedAndDroppedNotRestartedFor() throws Exception {
        String prefix = "deleted";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        String kept = prefix + "-kept";
        String doomed = prefix + "-doomed";
        companion.topics().create(Map.of(kept, 2, doomed, 2, prefix + "-processed", 1));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                kept,
                prefix + "-group",
                Map.of(
                        "PROCESSOR_TOPICS_CONSUME",
                        kept + "," + doomed,
                        "PROCESSOR_TOPICS_PROCESSED",
                        prefix + "-processed",
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                        "500ms",
                        "PROCESSOR_PARTITIONS_UNOWNED_GRACE_PERIOD",
                        "3s"));
        try (ServiceProcess service =
                ServiceProcess.start(prefix, InProcessKafkaResource.bootstrapServers(), environment)) {
            awaitEveryPartitionOwned(service, 4, 1);

            companion.topics().delete(doomed);

            Awaitility.await("the deleted topic reported and its partitions dropped")
                    .atMost(TIMEOUT)
                    .untilAsserted(() -> {
                        JsonNode view = TopicRecords.json(service.get("/partitions"));
                        assertThat(view.path("missingTopics").toString()).contains(doomed);
                        assertThat(view.path("partitions").size()).isEqualTo(2);
                    });
            Awaitility.await("liveness UP for twice the grace period after the deletion")
                    .during(Duration.ofSeconds(6))
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> service.status("/q/health/live") == 200);
            Set<String> ids = Set.copyOf(IsolatedPipeline.writeStraightInto(companion, kept, 1, prefix, 10));
            TopicRecords.awaitIds(companion, prefix + "-processed", ids, TIMEOUT);
            assertThat(service.output()).contains("Consumed topic " + doomed + " is gone");
        }
    }

    /**
     * Exactly-once over two listed topics, two replicas: each record of either topic comes out once on its input's
     * processed topic, and the group's offsets cover both topics (each batch's transaction commits the offsets of every
     * topic in it).
     */
    @Test
    void exactlyOnceCoversEveryConsumedTopic() throws Exception {
        String prefix = "eos-topics";
        String group = prefix + "-group";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        List<String> inputs = List.of(prefix + "-a", prefix + "-b");
        Map<String, Integer> topics = new HashMap<>();
        inputs.forEach(input -> {
            topics.put(input, 2);
            topics.put(input + "-processed", 1);
        });
        companion.topics().create(topics);
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                inputs.get(0),
                group,
                Map.of(
                        "PROCESSOR_TOPICS_CONSUME",
                        String.join(",", inputs),
                        "PROCESSOR_TOPICS_PROCESSED",
                        "{topic}-processed",
                        "PROCESSOR_TOPICS_DEAD_LETTER",
                        prefix + "-dlq",
                        "PROCESSOR_DELIVERY",
                        "exactly-once"));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        try (ServiceProcess m0 = ServiceProcess.start(prefix + "-m0", bootstrap, environment);
                ServiceProcess m1 = ServiceProcess.start(prefix + "-m1", bootstrap, environment)) {
            awaitEveryPartitionOwned(m0, 4, 2);
            Map<String, Set<String>> written = new HashMap<>();
            for (String input : inputs) {
                Set<String> ids = new HashSet<>();
                for (int partition = 0; partition < 2; partition++) {
                    ids.addAll(IsolatedPipeline.writeStraightInto(
                            companion, input, partition, input + "-p" + partition, 200));
                }
                written.put(input, ids);
            }
            for (String input : inputs) {
                List<ConsumerRecord<String, String>> outputs = TopicRecords.assertEachIdOnce(
                        companion, group, input, input + "-processed", written.get(input), TIMEOUT);
                assertThat(outputs)
                        .extracting(record -> TopicRecords.json(record)
                                .path("source")
                                .path("topic")
                                .asText())
                        .containsOnly(input);
            }
        }
    }

    /**
     * The usual Quarkus setting {@code mp.messaging.incoming.events-in.topic=orders} would have the consumer read
     * {@code orders} while ingest and the ownership check follow {@code processor.topics.*}: refused, naming both.
     */
    @Test
    void aChannelAttributeNamingATopicStopsTheStartNamingBothSettings() throws Exception {
        try (ServiceProcess service = ServiceProcess.launch(
                "topic-attribute",
                "localhost:9",
                Map.of("JAVA_TOOL_OPTIONS", "-Dmp.messaging.incoming.events-in.topic=orders"))) {
            assertThat(service.awaitExit(TIMEOUT)).isNotZero();
            assertThat(service.output())
                    .contains(
                            "mp.messaging.incoming.events-in.topic=orders would override what processor.topics.consume"
                                    + " or processor.topics.consume-pattern sets")
                    .doesNotContain("SRMSG18022");
        }
    }

    /**
     * Waits until {@code GET /partitions} shows this many partitions, each with an owner, and this many members owning
     * them, and returns it.
     */
    private static JsonNode awaitEveryPartitionOwned(ServiceProcess service, int partitions, int members) {
        List<JsonNode> view = new ArrayList<>(1);
        Awaitility.await("every one of " + partitions + " partitions owned by " + members + " members")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode current = TopicRecords.json(service.get("/partitions"));
                    assertThat(current.path("partitions").size()).isEqualTo(partitions);
                    assertThat(current.path("unowned").size()).isZero();
                    assertThat(ServiceProcess.owners(current)).hasSize(members);
                    view.clear();
                    view.add(current);
                });
        return view.get(0);
    }

    /** Each member's partitions as the article writes them ({@code t0p2}), members named M0, M1 in their order. */
    private static Map<String, List<String>> assignment(JsonNode view, String prefix) {
        Map<String, Set<String>> byMember = new TreeMap<>();
        view.path("partitions")
                .forEach(partition -> byMember.computeIfAbsent(
                                partition.path("owner").path("memberId").asText(), member -> new TreeSet<>())
                        .add(partition.path("topic").asText().substring(prefix.length() + 1) + "p"
                                + partition.path("partition").asInt()));
        Map<String, List<String>> named = new TreeMap<>();
        List<Set<String>> members = new ArrayList<>(byMember.values());
        members.sort((a, b) -> a.iterator().next().compareTo(b.iterator().next()));
        for (int i = 0; i < members.size(); i++) {
            named.put("M" + i, List.copyOf(members.get(i)));
        }
        return named;
    }

    /** Seconds from {@code since} to the earliest {@code processedAt} among the outputs. */
    private static double firstProcessed(List<ConsumerRecord<String, String>> outputs, Instant since) {
        Instant first = outputs.stream()
                .map(record -> Instant.parse(
                        TopicRecords.json(record).path("processedAt").asText()))
                .min(Instant::compareTo)
                .orElseThrow();
        return Duration.between(since, first).toMillis() / 1000.0;
    }
}
