package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewPartitions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.OwnershipCheck;
import io.eventprocessor.support.RestLoad;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Health of a fleet: three packaged-jar replicas in one group on a real broker. A partition that stays
 * unowned fails one replica at a time, named alike by all; a broker outage keeps every replica ready and live while
 * requests get {@code 503} + {@code Retry-After}. (A hang on one partition: {@link StalledReplicaInFleetIT}.)
 */
class FleetHealthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int REPLICAS = 3;

    @Test
    void aPartitionLeftUnownedFailsOneReplicaAtATimeAndAllNameTheSameOne() throws Exception {
        String topic = "fleet-unowned";
        Duration grace = Duration.ofSeconds(8);
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, REPLICAS, topic + "-processed", 1));
        // Classic protocol with a 10-minute metadata refresh: nobody sees the new partition, it stays unowned.
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                topic,
                "fleet-unowned-group",
                Map.of(
                        "PROCESSOR_PARTITIONS_GROUP_PROTOCOL", "classic",
                        "PROCESSOR_PARTITIONS_METADATA_MAX_AGE", "10m",
                        "PROCESSOR_PARTITIONS_UNOWNED_GRACE_PERIOD", grace.toSeconds() + "s",
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
        List<ServiceProcess> fleet =
                startFleet("fleet-unowned", InProcessKafkaResource.bootstrapServers(), environment);
        try {
            awaitEveryPartitionOwned(fleet.get(0), REPLICAS);
            companion
                    .getOrCreateAdminClient()
                    .createPartitions(Map.of(topic, NewPartitions.increaseTo(REPLICAS + 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            Awaitility.await("a replica DOWN")
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> sample(fleet).down().size() == 1);
            // Watch three turns: never two DOWN at once; in each sample the DOWN one is the one every replica names.
            List<String> downInOrder = new ArrayList<>();
            long end = System.nanoTime() + grace.multipliedBy(3).toNanos();
            int samples = 0;
            while (System.nanoTime() < end) {
                Sample sample = sample(fleet);
                samples++;
                assertThat(sample.down())
                        .as("replicas DOWN at once, sample %d: %s", samples, sample)
                        .hasSizeLessThanOrEqualTo(1);
                if (sample.down().size() == 1) {
                    String member = sample.down().get(0);
                    // A replica may see the partition overdue up to one check interval after another.
                    assertThat(sample.turns())
                            .as("every replica that sees a turn names the DOWN one: %s", sample)
                            .allMatch(turn -> turn.equals("none")
                                    || turn.startsWith("between turns since ")
                                    || turn.startsWith("member " + member + " ") && turn.contains(" of 3, until "));
                    assertThat(sample.unownedPastGrace())
                            .as("the partition is named")
                            .anyMatch(unowned -> unowned.contains(topic + "-" + REPLICAS + " since "));
                    if (downInOrder.isEmpty()
                            || !downInOrder.get(downInOrder.size() - 1).equals(member)) {
                        downInOrder.add(member);
                    }
                }
            }
            System.out.printf("FleetHealthIT: %d samples of 3 replicas, DOWN in turn: %s%n", samples, downInOrder);
            assertThat(new HashSet<>(downInOrder))
                    .as("the turn passed to the next replica")
                    .hasSizeGreaterThanOrEqualTo(2);
        } finally {
            stop(fleet);
        }
    }

    @Test
    void aBrokerOutageKeepsEveryReplicaReadyAndLiveAndLosesNothing() throws Exception {
        RestartableBrokerResource broker = new RestartableBrokerResource();
        String bootstrap = broker.start().get("kafka.bootstrap.servers");
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                "events",
                "fleet-outage-group",
                Map.of(
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms",
                        "PROCESSOR_PARTITIONS_CHECK_TIMEOUT", "1s",
                        "PROCESSOR_INGEST_ACK_TIMEOUT", "2s"));
        List<ServiceProcess> fleet = new ArrayList<>();
        List<RestLoad> loads = new ArrayList<>();
        try {
            fleet.addAll(startFleet("fleet-outage", bootstrap, environment));
            for (ServiceProcess replica : fleet) {
                loads.add(RestLoad.start(replica.eventsUri(), replica.name(), Duration.ofMillis(50)));
            }
            for (RestLoad load : loads) {
                load.awaitMore(20, TIMEOUT);
            }

            RestartableBrokerResource.stopBroker();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end) {
                for (ServiceProcess replica : fleet) {
                    assertThat(replica.status("/q/health/ready"))
                            .as(replica.name() + " ready during the outage")
                            .isEqualTo(200);
                    assertThat(replica.status("/q/health/live"))
                            .as(replica.name() + " live during the outage")
                            .isEqualTo(200);
                }
                Thread.sleep(200);
            }
            for (RestLoad load : loads) {
                load.awaitRefusals(1, TIMEOUT);
            }
            RestartableBrokerResource.startBroker();
            for (RestLoad load : loads) {
                load.awaitMore(20, TIMEOUT);
            }
            Set<String> accepted = new HashSet<>();
            for (RestLoad load : loads) {
                load.close();
                load.assertNoFailure();
                accepted.addAll(load.ids());
            }
            try (KafkaCompanion companion = RestartableBrokerResource.companion()) {
                TopicRecords.awaitIds(companion, "events-processed", accepted, TIMEOUT);
            }
            System.out.printf(
                    "FleetHealthIT: %d events accepted by 3 replicas across a 10 s broker outage, all processed%n",
                    accepted.size());
        } finally {
            for (RestLoad load : loads) {
                load.close();
            }
            stop(fleet);
            broker.stop();
        }
    }

    /** What every replica's liveness says at (nearly) one moment. */
    private record Sample(
            List<String> down,
            List<String> turns,
            List<String> unownedPastGrace,
            Map<String, String> stalledHere,
            Map<String, String> stalledElsewhere) {}

    private static Sample sample(List<ServiceProcess> fleet) throws IOException, InterruptedException {
        List<String> down = new ArrayList<>();
        List<String> turns = new ArrayList<>();
        List<String> unowned = new ArrayList<>();
        Map<String, String> stalledHere = new HashMap<>();
        Map<String, String> stalledElsewhere = new HashMap<>();
        for (ServiceProcess replica : fleet) {
            JsonNode check = OwnershipCheck.in(replica.get("/q/health/live"));
            JsonNode data = check.path("data");
            String member = data.path("thisMember").asText();
            if (check.path("status").asText().equals("DOWN")) {
                down.add(member);
            }
            turns.add(data.path("restartTurn").asText("none"));
            unowned.add(data.path("unownedPastGracePeriod").asText("none"));
            stalledHere.put(member, data.path("stalledHere").asText());
            stalledElsewhere.put(member, data.path("stalledElsewhere").asText());
        }
        return new Sample(down, turns, unowned, stalledHere, stalledElsewhere);
    }

    private static List<ServiceProcess> startFleet(String name, String bootstrap, Map<String, String> environment) {
        List<ServiceProcess> fleet = new ArrayList<>();
        for (int i = 1; i <= REPLICAS; i++) {
            fleet.add(ServiceProcess.launch(name + "-" + i, bootstrap, environment));
        }
        try {
            fleet.forEach(replica -> replica.awaitReady(TIMEOUT));
        } catch (RuntimeException | Error notReady) {
            try {
                stop(fleet);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw notReady;
        }
        return fleet;
    }

    private static JsonNode awaitEveryPartitionOwned(ServiceProcess replica, int members) {
        Awaitility.await("every partition owned by " + members + " members")
                .atMost(TIMEOUT)
                .until(() -> {
                    JsonNode partitions = TopicRecords.json(replica.get("/partitions"));
                    return partitions.path("members").asInt() == members
                            && partitions.path("unowned").isEmpty()
                            && ServiceProcess.owners(partitions).size() == members;
                });
        try {
            return TopicRecords.json(replica.get("/partitions"));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void stop(List<ServiceProcess> fleet) throws InterruptedException {
        for (ServiceProcess replica : fleet) {
            replica.close();
        }
    }
}
