package io.eventprocessor.exactlyonce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;

import io.eventprocessor.support.GroupMember;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * While records stream in, a second member joins the service's group (the service's partitions are revoked
 * with batches in flight), dies without leaving, and the topic grows; then every record's output must be on
 * the processed topic once, as a {@code read_committed} reader sees it.
 */
final class MidStreamChurn {

    private MidStreamChurn() {}

    static void run(
            KafkaCompanion companion, String topic, String group, String protocol, int grownTo, Duration timeout)
            throws Exception {
        String run = UUID.randomUUID().toString();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int next = 0;
            while (writing.get()) {
                List<ProducerRecord<String, String>> batch = new ArrayList<>();
                for (int i = 0; i < 20; i++, next++) {
                    String id = run + "-" + next;
                    ids.add(id);
                    batch.add(new ProducerRecord<>(topic, null, run + ":" + next, ExactlyOnceTest.event(id, 200)));
                }
                companion.produceStrings().fromRecords(batch).awaitCompletion(timeout);
            }
        });
        // A dead classic member keeps its partitions until its own session timeout (45 s by default): 6 s, the
        // broker's least, keeps the churn and shortens the wait. The consumer protocol's timeout is the broker's.
        Map<String, Object> memberSettings =
                protocol.equals("classic") ? Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000) : Map.of();
        try (GroupMember member = GroupMember.join(group, topic, protocol, "intruder-" + protocol, memberSettings)) {
            Awaitility.await("the member owns a partition")
                    .atMost(timeout)
                    .until(() -> !member.assignment().isEmpty());
            member.die();
        }
        companion
                .getOrCreateAdminClient()
                .createPartitions(Map.of(topic, NewPartitions.increaseTo(grownTo)))
                .all()
                .get();
        Awaitility.await("the new partitions are owned")
                .atMost(timeout)
                .untilAsserted(
                        () -> assertThat(Management.given().get("/partitions").<List<Object>>path("partitions"))
                                .hasSize(grownTo));
        writing.set(false);
        writer.get();

        List<ConsumerRecord<String, String>> processed =
                TopicRecords.assertEachIdOnce(companion, group, topic, topic + "-processed", Set.copyOf(ids), timeout);
        System.out.printf(
                "MidStreamChurn (%s protocol): %d records written during a member's join and death and a "
                        + "growth to %d partitions, %d processed, 0 duplicated%n",
                protocol, ids.size(), grownTo, processed.size());
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
