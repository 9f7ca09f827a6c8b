package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * Two instances of the packaged jar share a group; one is killed with SIGKILL mid-stream. Its
 * partitions move to the survivor and every record is processed; duplicates are counted and reported.
 */
class MemberCrashIT {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 3000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void survivorTakesOverAndNothingIsLost() throws Exception {
        crashMidStream("crash", Map.of(), (companion, ids) -> {
            List<ConsumerRecord<String, String>> processed =
                    TopicRecords.awaitIds(companion, "crash-processed", ids, TIMEOUT);
            int duplicates = processed.size() - ids.size();
            System.out.printf(
                    "MemberCrashIT: %d records, %d processed, %d duplicates, 0 lost%n",
                    ids.size(), processed.size(), duplicates);
            assertThat(processed)
                    .extracting(r -> TopicRecords.json(r).path("processedBy").asText())
                    .contains("crash-survivor", "crash-victim");
            // At least once: a record comes out twice only when work moved between the members before it was
            // committed (the victim's join, its death), so only records written before the kill can have copies;
            // after it the survivor alone owns every partition and nothing moves again.
            Map<String, Integer> copies = new HashMap<>();
            processed.forEach(
                    record -> copies.merge(TopicRecords.json(record).path("id").asText(), 1, Integer::sum));
            copies.forEach((id, count) -> {
                if (count > 1) {
                    assertThat(Integer.parseInt(id.substring("crash-".length())))
                            .as("%s came out %d times: written after the kill", id, count)
                            .isLessThan(RECORDS / 2);
                }
            });
        });
    }

    /**
     * Exactly-once: the victim's open transaction is aborted (by the broker, after the transaction timeout), the
     * survivor starts after what the victim committed, and a {@code read_committed} reader sees every record's
     * output once: 0 lost, 0 duplicated.
     */
    @Test
    void exactlyOnceTheSurvivorTakesOverWithNothingLostOrDuplicated() throws Exception {
        crashMidStream("eos-crash", Map.of("PROCESSOR_DELIVERY", "exactly-once"), (companion, ids) -> {
            List<ConsumerRecord<String, String>> processed = TopicRecords.assertEachIdOnce(
                    companion, "eos-crash-group", "eos-crash", "eos-crash-processed", ids, TIMEOUT);
            System.out.printf(
                    "MemberCrashIT (exactly-once): %d records, %d processed, 0 duplicates, 0 lost%n",
                    ids.size(), processed.size());
            assertThat(processed)
                    .extracting(r -> TopicRecords.json(r).path("processedBy").asText())
                    .contains("eos-crash-survivor", "eos-crash-victim");
        });
    }

    /** Two instances share a group; the victim is killed (SIGKILL) mid-stream, after its first output. */
    private static void crashMidStream(
            String topic, Map<String, String> extra, BiConsumer<KafkaCompanion, Set<String>> check) throws Exception {
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, PARTITIONS, topic + "-processed", 1));
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms");
        Map<String, String> environment = IsolatedPipeline.processEnvironment(topic, topic + "-group", settings);
        String bootstrap = InProcessKafkaResource.bootstrapServers();

        try (ServiceProcess survivor = ServiceProcess.start(topic + "-survivor", bootstrap, environment);
                ServiceProcess victim = ServiceProcess.start(topic + "-victim", bootstrap, environment)) {
            Awaitility.await("both instances own partitions")
                    .atMost(TIMEOUT)
                    .until(() -> survivor.get("/partitions").contains("\"members\":2")
                            && survivor.get("/partitions").contains("\"unowned\":[]"));

            Set<String> ids = new HashSet<>();
            ids.addAll(write(companion, topic, 0, RECORDS / 2));
            // The victim's first output (exactly-once: its first committed batch), then it dies mid-stream.
            try {
                TopicRecords.awaitCommitted(
                        companion,
                        topic + "-processed",
                        r -> r.value().contains("\"processedBy\":\"" + topic + "-victim\""),
                        1,
                        TIMEOUT);
            } catch (ConditionTimeoutException noOutput) {
                throw new AssertionError(
                        "no committed output of the victim: " + noOutput.getMessage() + "\n" + victim.diagnosis() + "\n"
                                + survivor.diagnosis(),
                        noOutput);
            }
            victim.kill();
            ids.addAll(write(companion, topic, RECORDS / 2, RECORDS));

            check.accept(companion, ids);
            Awaitility.await("the survivor owns every partition")
                    .atMost(TIMEOUT)
                    .until(() -> survivor.get("/partitions").contains("\"members\":1")
                            && survivor.get("/partitions").contains("\"unowned\":[]"));
        }
    }

    private static List<String> write(KafkaCompanion companion, String topic, int from, int to) {
        List<String> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = topic + "-" + i;
            ids.add(id);
            records.add(KafkaCompanion.record(
                    topic, i % PARTITIONS, null, "{\"id\":\"" + id + "\",\"type\":\"crash\",\"payload\":" + i + "}"));
        }
        companion.produceStrings().fromRecords(records).awaitCompletion(TIMEOUT);
        return ids;
    }
}
