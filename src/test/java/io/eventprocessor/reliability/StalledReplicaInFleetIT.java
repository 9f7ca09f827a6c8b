package io.eventprocessor.reliability;

import static io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.partitions.OwnershipFence;
import io.eventprocessor.processing.EventEnricher;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.OwnershipCheck;
import io.eventprocessor.support.ScriptedEnricher;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A hang in one replica of a fleet fails that replica only: this application, whose processing step hangs on one
 * record (a test bean), and two replicas of the packaged jar share one group and a three-partition topic. The record
 * goes to a partition this application owns; past the stall timeout its liveness is DOWN naming that partition, while
 * the two others stay live and ready, report the stall as another's, and process what arrives on their partitions.
 * (Runs with the integration tests: the other replicas are the packaged jar.)
 */
@QuarkusTest
@TestProfile(StalledReplicaInFleetIT.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class StalledReplicaInFleetIT {

    private static final String TOPIC = "fleet-hang";
    private static final String GROUP = "fleet-hang-group";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Map<String, String> SETTINGS = Map.of(
            "processor.partitions.stall-timeout", "10s",
            "processor.partitions.check-interval", "500ms",
            "mp.messaging.incoming.events-in.auto.commit.interval.ms", "200");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(TOPIC, GROUP, SETTINGS);
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "3", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Inject
    InstanceName instanceName;

    @Inject
    OwnershipFence fence;

    private ScriptedEnricher enricher;
    private final List<ServiceProcess> others = new ArrayList<>();

    @BeforeEach
    void installScriptedEnricher() {
        enricher = new ScriptedEnricher(instanceName);
        QuarkusMock.installMockForType(enricher, EventEnricher.class);
    }

    @AfterEach
    void stop() throws InterruptedException {
        enricher.release();
        for (ServiceProcess replica : others) {
            replica.close();
        }
    }

    @Test
    void aHangOnOnePartitionFailsItsOwnerOnly() throws Exception {
        Map<String, String> replicaEnvironment = IsolatedPipeline.processEnvironment(
                TOPIC,
                GROUP,
                Map.of("PROCESSOR_PARTITIONS_STALL_TIMEOUT", "10s", "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
        String bootstrap = InProcessKafkaResource.bootstrapServers();
        for (int i = 1; i <= 2; i++) {
            others.add(ServiceProcess.launch("fleet-hang-" + i, bootstrap, replicaEnvironment));
        }
        others.forEach(replica -> replica.awaitReady(TIMEOUT));
        JsonNode partitions = awaitEveryPartitionOwnedByThree();
        String here = fence.membership().memberId();
        int hanging = -1;
        Set<String> elsewhere = new HashSet<>();
        for (JsonNode partition : partitions.path("partitions")) {
            int number = partition.path("partition").asInt();
            if (partition.path("owner").path("memberId").asText().equals(here)) {
                hanging = number;
            } else {
                elsewhere.addAll(IsolatedPipeline.writeStraightInto(companion, TOPIC, number, "moving-" + number, 5));
            }
        }
        assertThat(hanging).as("a partition of this replica").isNotNegative();
        companion
                .produceStrings()
                .fromRecords(
                        record(TOPIC, hanging, "k", "{\"id\":\"fleet-hang\",\"type\":\"hang\",\"payload\":1}"),
                        record(TOPIC, hanging, "k", "{\"id\":\"fleet-behind\",\"type\":\"fine\",\"payload\":2}"))
                .awaitCompletion(TIMEOUT);
        String stalled = TOPIC + "-" + hanging + " (owner " + here;

        Awaitility.await("this replica DOWN for " + stalled).atMost(TIMEOUT).untilAsserted(() -> {
            JsonNode check =
                    OwnershipCheck.in(Management.given().get("/q/health/live").asString());
            assertThat(check.path("status").asText()).isEqualTo("DOWN");
            assertThat(check.path("data").path("stalledHere").asText()).contains(stalled);
        });
        TopicRecords.awaitIds(companion, TOPIC + "-processed", elsewhere, TIMEOUT);
        Awaitility.await("the other replicas live, naming the stall as another's")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    for (ServiceProcess replica : others) {
                        assertThat(replica.status("/q/health/ready"))
                                .as(replica.name() + " ready")
                                .isEqualTo(200);
                        JsonNode check = OwnershipCheck.in(replica.get("/q/health/live"));
                        assertThat(check.path("status").asText())
                                .as(replica.name() + " live")
                                .isEqualTo("UP");
                        assertThat(check.path("data").path("stalledElsewhere").asText())
                                .as(replica.name() + " reports the stall of another")
                                .contains(stalled);
                    }
                });
    }

    private JsonNode awaitEveryPartitionOwnedByThree() {
        Awaitility.await("every partition owned by three members")
                .atMost(TIMEOUT)
                .until(() -> {
                    JsonNode view = TopicRecords.json(
                            Management.given().get("/partitions").asString());
                    return view.path("members").asInt() == 3
                            && view.path("unowned").isEmpty()
                            && ServiceProcess.owners(view).size() == 3;
                });
        return TopicRecords.json(Management.given().get("/partitions").asString());
    }
}
