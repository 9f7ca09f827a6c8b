package io.eventprocessor.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.ExternalBroker;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The compatibility matrix ({@code -Pcompat}): stock Apache Kafka brokers of several releases, each in its
 * own JVM, and the packaged jar with its default settings (group protocol {@code auto}) on a group that
 * starts on {@code latest}; the topic grows 1 → 3 partitions while records are written straight into
 * each new partition. Every case: 0 records lost, every partition owned, liveness UP at the end; exactly-once
 * on three releases: 0 lost and 0 duplicated as {@code read_committed} sees it. Two cases run at once (each with
 * its own broker and service, so nothing is shared); the class still runs alone, as every test class does. Prints a table and writes it to {@code target/compat/results.md}.
 */
class BrokerCompatibilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int DIRECT_RECORDS = 20;
    private static final List<String> ROWS = Collections.synchronizedList(new ArrayList<>());

    static Stream<Arguments> matrix() {
        return Stream.of(
                Arguments.of("3.9.1", "auto", "classic"),
                Arguments.of("4.0.2", "auto", "consumer"),
                Arguments.of("4.2.1", "auto", "consumer"),
                Arguments.of("4.4.0", "auto", "consumer"),
                Arguments.of("4.2.1", "classic", "classic"));
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "Kafka {0}, group-protocol={1}")
    @MethodSource("matrix")
    void nothingIsLostWhileTheTopicGrows(String version, String setting, String expectedProtocol) throws Exception {
        String topic = "compat-" + version.replace('.', '-') + "-" + setting;
        try (ExternalBroker broker = ExternalBroker.start(version);
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            companion.topics().create(Map.of(topic, 1, topic + "-processed", 1));
            Map<String, String> extra = new HashMap<>(Map.of(
                    "MP_MESSAGING_INCOMING_EVENTS_IN_AUTO_OFFSET_RESET", "latest",
                    "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
            if (!setting.equals("auto")) {
                extra.put("PROCESSOR_PARTITIONS_GROUP_PROTOCOL", setting);
            }
            Map<String, String> environment = IsolatedPipeline.processEnvironment(topic, topic + "-group", extra);
            try (ServiceProcess service = ServiceProcess.start(topic, broker.bootstrapServers(), environment)) {
                awaitOwned(service, 1);
                JsonNode protocol =
                        TopicRecords.json(service.get("/partitions")).path("protocolInUse");
                assertThat(protocol.path("protocol").asText())
                        .as("protocol chosen: %s", protocol)
                        .isEqualToIgnoringCase(expectedProtocol);
                assertThat(TopicRecords.json(service.get("/partitions"))
                                .path("groupProtocol")
                                .asText())
                        .as("the group's type on the broker")
                        .isEqualTo(expectedProtocol);
                // On latest, the group starts at the end: what it reads after this is what counts.
                Set<String> expected =
                        new HashSet<>(IsolatedPipeline.writeStraightInto(companion, topic, 0, topic + "-first", 1));
                TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);

                List<String> pickups = new ArrayList<>();
                for (int partition = 1; partition <= 2; partition++) {
                    long grown = System.nanoTime();
                    IsolatedPipeline.growTopic(companion, topic, partition + 1);
                    List<String> direct = IsolatedPipeline.writeStraightInto(
                            companion, topic, partition, topic + "-p" + partition, DIRECT_RECORDS);
                    expected.addAll(direct);
                    int number = partition;
                    TopicRecords.await(
                            companion,
                            topic + "-processed",
                            record -> TopicRecords.json(record)
                                            .path("source")
                                            .path("partition")
                                            .asInt()
                                    == number,
                            1,
                            TIMEOUT);
                    pickups.add(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - grown) / 1e9));
                }
                List<ConsumerRecord<String, String>> processed =
                        TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);
                Set<String> seen = new HashSet<>();
                processed.forEach(
                        record -> seen.add(TopicRecords.json(record).path("id").asText()));
                Set<String> lost = new HashSet<>(expected);
                lost.removeAll(seen);
                awaitOwned(service, 3);
                assertThat(service.status("/q/health/live"))
                        .as("liveness at the end")
                        .isEqualTo(200);
                Awaitility.await("gauges on " + version).atMost(TIMEOUT).untilAsserted(() -> {
                    assertThat(gauge(service, "event_processor_partitions", topic))
                            .isEqualTo(3);
                    assertThat(gauge(service, "event_processor_partitions_unowned", topic))
                            .isZero();
                });
                assertThat(gauge(service, "event_processor_partition_pickup_seconds_count", topic))
                        .as("pickups recorded")
                        .isGreaterThanOrEqualTo(2);
                ROWS.add("| " + version + " | " + setting + " | "
                        + protocol.path("protocol").asText().toLowerCase() + " | " + lost.size() + " of "
                        + expected.size() + " | " + String.join(", ", pickups) + " |");
                assertThat(lost).as("records lost").isEmpty();
            }
        }
    }

    /**
     * {@code processor.delivery=exactly-once} on each release (3.9.1: classic protocol, transactions v1; 4.x:
     * consumer protocol, transactions v2): two replicas, the topic grown 2 → 3 while records are written, one
     * replica killed (SIGKILL) mid-stream; a {@code read_committed} reader sees every record once.
     */
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "exactly-once on Kafka {0}")
    @MethodSource("exactlyOnceReleases")
    void exactlyOnceLosesAndDuplicatesNothingOnEveryRelease(String version) throws Exception {
        String topic = "compat-eos-" + version.replace('.', '-');
        String group = topic + "-group";
        try (ExternalBroker broker = ExternalBroker.start(version);
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            companion.topics().create(Map.of(topic, 2, topic + "-processed", 1));
            Map<String, String> settings = new HashMap<>(
                    Map.of("PROCESSOR_DELIVERY", "exactly-once", "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
            if (version.startsWith("3.")) {
                // Classic protocol: the killed replica is fenced after its own session timeout (45 s by default).
                settings.put("KAFKA_SESSION_TIMEOUT_MS", "10000");
            }
            Map<String, String> environment = IsolatedPipeline.processEnvironment(topic, group, settings);
            try (ServiceProcess survivor =
                            ServiceProcess.start(topic + "-survivor", broker.bootstrapServers(), environment);
                    ServiceProcess victim =
                            ServiceProcess.start(topic + "-victim", broker.bootstrapServers(), environment)) {
                Awaitility.await("both replicas own partitions").atMost(TIMEOUT).until(() -> {
                    JsonNode view = TopicRecords.json(survivor.get("/partitions"));
                    return view.path("members").asInt() == 2
                            && view.path("unowned").isEmpty()
                            && ServiceProcess.owners(view).size() == 2;
                });
                Set<String> expected = new HashSet<>();
                for (int partition = 0; partition < 2; partition++) {
                    expected.addAll(IsolatedPipeline.writeStraightInto(
                            companion, topic, partition, topic + "-before-" + partition, 200));
                }
                IsolatedPipeline.growTopic(companion, topic, 3);
                expected.addAll(
                        IsolatedPipeline.writeStraightInto(companion, topic, 2, topic + "-grown", DIRECT_RECORDS));
                TopicRecords.awaitCommitted(
                        companion,
                        topic + "-processed",
                        record -> record.value().contains("\"processedBy\":\"" + topic + "-victim\""),
                        1,
                        TIMEOUT);
                victim.kill();
                for (int partition = 0; partition < 3; partition++) {
                    expected.addAll(IsolatedPipeline.writeStraightInto(
                            companion, topic, partition, topic + "-after-" + partition, 100));
                }
                List<ConsumerRecord<String, String>> processed =
                        TopicRecords.assertEachIdOnce(companion, group, topic, topic + "-processed", expected, TIMEOUT);
                awaitOwned(survivor, 3);
                assertThat(survivor.status("/q/health/live"))
                        .as("liveness at the end")
                        .isEqualTo(200);
                ROWS.add("| " + version + " | auto, processor.delivery=exactly-once (2 replicas, 2 → 3 partitions, one "
                        + "SIGKILL) | " + protocolInUse(survivor).toLowerCase() + " | 0 of " + expected.size()
                        + ", 0 duplicated of " + processed.size() + " read_committed | - |");
            }
        }
    }

    static Stream<String> exactlyOnceReleases() {
        return Stream.of("3.9.1", "4.0.2", "4.4.0");
    }

    @Execution(ExecutionMode.CONCURRENT)
    @Test
    void anExplicitConsumerProtocolOnKafka3FailsStartUpNamingTheSetting() throws Exception {
        try (ExternalBroker broker = ExternalBroker.start("3.9.1");
                ServiceProcess service = ServiceProcess.launch(
                        "compat-explicit-consumer",
                        broker.bootstrapServers(),
                        Map.of("PROCESSOR_PARTITIONS_GROUP_PROTOCOL", "consumer"))) {
            assertThat(service.awaitExit(Duration.ofSeconds(60)))
                    .as("exit code")
                    .isNotZero();
            assertThat(service.output())
                    .contains(
                            "processor.partitions.group-protocol=consumer needs the consumer group "
                                    + "protocol, which the cluster does not support (metadata.version 21, group.version not supported");
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @Test
    void aClassicReplicaAndAConsumerReplicaShareOneGroupOnKafka4() throws Exception {
        String topic = "compat-mixed";
        try (ExternalBroker broker = ExternalBroker.start("4.2.1");
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            companion.topics().create(Map.of(topic, 4, topic + "-processed", 1));
            Map<String, String> classic = IsolatedPipeline.processEnvironment(
                    topic,
                    "compat-mixed-group",
                    Map.of(
                            "PROCESSOR_PARTITIONS_GROUP_PROTOCOL",
                            "classic",
                            "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                            "500ms"));
            Map<String, String> auto = IsolatedPipeline.processEnvironment(
                    topic, "compat-mixed-group", Map.of("PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
            // A rolling change: the replica started while the cluster had no consumer protocol stays classic,
            // the one started after chooses consumer; Kafka converts the group and both keep consuming.
            try (ServiceProcess old = ServiceProcess.start("compat-mixed-classic", broker.bootstrapServers(), classic);
                    ServiceProcess fresh = ServiceProcess.start("compat-mixed-auto", broker.bootstrapServers(), auto)) {
                Awaitility.await("both replicas own partitions").atMost(TIMEOUT).until(() -> {
                    JsonNode view = TopicRecords.json(fresh.get("/partitions"));
                    return view.path("members").asInt() == 2
                            && view.path("unowned").isEmpty()
                            && ServiceProcess.owners(view).size() == 2;
                });
                Set<String> expected = new HashSet<>();
                for (int partition = 0; partition < 4; partition++) {
                    expected.addAll(IsolatedPipeline.writeStraightInto(
                            companion, topic, partition, topic + "-" + partition, 10));
                }
                List<ConsumerRecord<String, String>> processed =
                        TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);
                assertThat(processed)
                        .extracting(record ->
                                TopicRecords.json(record).path("processedBy").asText())
                        .contains("compat-mixed-classic", "compat-mixed-auto");
                ROWS.add("| 4.2.1 | classic + auto in one group | classic and consumer members; group type "
                        + TopicRecords.json(fresh.get("/partitions"))
                                .path("groupProtocol")
                                .asText() + " | 0 of "
                        + expected.size() + " | - |");
            }
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    @Test
    void anInPlaceBrokerUpgradeFromKafka3KeepsEveryReplicaOnClassicUntilTheFeaturesAreUpgraded() throws Exception {
        String topic = "compat-upgrade";
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                topic, "compat-upgrade-group", Map.of("PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
        ExternalBroker broker = ExternalBroker.start("3.9.1");
        try (KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            companion.topics().create(Map.of(topic, 3, topic + "-processed", 1));
            Set<String> expected = new HashSet<>();
            try (ServiceProcess first =
                    ServiceProcess.start("compat-upgrade-first", broker.bootstrapServers(), environment)) {
                awaitOwned(first, 3);
                assertThat(protocolInUse(first)).isEqualTo("CLASSIC");
                expected.addAll(writeEverywhere(companion, topic, "on-3.9.1"));
                TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);

                broker = broker.upgradeTo("4.0.2");
                expected.addAll(writeEverywhere(companion, topic, "on-4.0.2"));
                TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);
                // Upgraded software, features as they were: a replica started now still chooses classic.
                try (ServiceProcess second =
                        ServiceProcess.start("compat-upgrade-second", broker.bootstrapServers(), environment)) {
                    assertThat(protocolInUse(second)).isEqualTo("CLASSIC");
                    assertThat(TopicRecords.json(second.get("/partitions"))
                                    .path("protocolInUse")
                                    .path("reason")
                                    .asText())
                            .contains("metadata.version 21, group.version 0");

                    // The operator finishes the upgrade: metadata.version of 4.0, then group.version 1.
                    upgradeFeature(companion, "metadata.version", (short) 25);
                    upgradeFeature(companion, "group.version", (short) 1);
                    try (ServiceProcess third =
                            ServiceProcess.start("compat-upgrade-third", broker.bootstrapServers(), environment)) {
                        assertThat(protocolInUse(third))
                                .as("chosen after the feature upgrade")
                                .isEqualTo("CONSUMER");
                        Awaitility.await("three members, every partition owned")
                                .atMost(TIMEOUT)
                                .until(() -> {
                                    JsonNode view = TopicRecords.json(third.get("/partitions"));
                                    return view.path("members").asInt() == 3
                                            && view.path("unowned").isEmpty();
                                });
                        expected.addAll(writeEverywhere(companion, topic, "after-features"));
                        TopicRecords.awaitIds(companion, topic + "-processed", expected, TIMEOUT);
                        ROWS.add(
                                "| 3.9.1 → 4.0.2 in place | auto (3 replicas, started before, after the upgrade, after "
                                        + "the feature upgrade) | classic, classic, consumer; group type "
                                        + TopicRecords.json(third.get("/partitions"))
                                                .path("groupProtocol")
                                                .asText() + " | 0 of "
                                        + expected.size() + " | - |");
                    }
                }
            }
        } finally {
            broker.close();
        }
    }

    /** One sample of the service's own metrics for the topic. */
    private static double gauge(ServiceProcess service, String name, String topic)
            throws IOException, InterruptedException {
        return PrometheusScrape.value(service.get("/q/metrics"), name, Map.of("topic", topic))
                .orElseThrow(() -> new AssertionError("no " + name + " for " + topic));
    }

    private static List<String> writeEverywhere(KafkaCompanion companion, String topic, String prefix) {
        List<String> ids = new ArrayList<>();
        for (int partition = 0; partition < 3; partition++) {
            ids.addAll(IsolatedPipeline.writeStraightInto(companion, topic, partition, prefix + "-" + partition, 10));
        }
        return ids;
    }

    private static String protocolInUse(ServiceProcess service) throws IOException, InterruptedException {
        return TopicRecords.json(service.get("/partitions"))
                .path("protocolInUse")
                .path("protocol")
                .asText();
    }

    private static void upgradeFeature(KafkaCompanion companion, String feature, short level) throws Exception {
        companion
                .getOrCreateAdminClient()
                .updateFeatures(
                        Map.of(feature, new FeatureUpdate(level, FeatureUpdate.UpgradeType.UPGRADE)),
                        new UpdateFeaturesOptions())
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void publish() throws IOException {
        List<String> table = new ArrayList<>(List.of(
                "| broker | processor.partitions.group-protocol | protocol in use | records lost | pickup s per new partition |",
                "|---|---|---|---|---|"));
        table.addAll(ROWS.stream().sorted().toList());
        System.out.println("BrokerCompatibilityIT:\n" + String.join("\n", table));
        Path output = Files.createDirectories(Path.of("target", "compat")).resolve("results.md");
        Files.writeString(output, String.join("\n", table) + "\n");
    }

    private static void awaitOwned(ServiceProcess service, int partitions) {
        Awaitility.await(partitions + " partition(s) owned").atMost(TIMEOUT).until(() -> {
            JsonNode view = TopicRecords.json(service.get("/partitions"));
            return view.path("partitions").size() == partitions
                    && view.path("unowned").isEmpty()
                    && view.path("members").asInt() >= 1;
        });
    }
}
