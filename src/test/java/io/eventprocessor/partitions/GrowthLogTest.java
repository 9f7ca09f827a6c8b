package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;

/** The growth log on a real broker: what one replica records, another (or a restarted one) reads back. */
class GrowthLogTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Map<String, Object> settings() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafkaResource.bootstrapServers());
    }

    @Test
    void aGrowthOneReplicaSawIsReadByAnotherWithItsDate() throws Exception {
        String logTopic = "growth-log-shared";
        try (Admin admin = Admin.create(settings())) {
            GrowthLog.ensureTopic(admin, logTopic, TIMEOUT);
            GrowthLog.ensureTopic(admin, logTopic, TIMEOUT);
            // Just created: the broker may not answer for the topic yet.
            await().atMost(TIMEOUT)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(admin.describeConfigs(
                                            List.of(new ConfigResource(ConfigResource.Type.TOPIC, logTopic)))
                                    .all()
                                    .get()
                                    .values()
                                    .iterator()
                                    .next()
                                    .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                                    .value())
                            .isEqualTo("compact"));
        }
        try (GrowthLog first = new GrowthLog(settings(), logTopic, TIMEOUT)) {
            first.read();
            first.seen("orders", 3, T0);
            first.seen("orders", 3, T0.plusSeconds(5));
            first.seen("orders", 6, T0.plusSeconds(60));
            first.seen("payments", 2, T0.plusSeconds(61));
        }
        try (GrowthLog second = new GrowthLog(settings(), logTopic, TIMEOUT)) {
            Map<String, GrowthHistory> read = second.read();

            assertThat(read.get("orders").epochs())
                    .containsExactly(new GrowthHistory.Epoch(3, T0), new GrowthHistory.Epoch(6, T0.plusSeconds(60)));
            assertThat(read.get("payments").partitions()).isEqualTo(2);
            assertThat(second.seen("orders", 6, T0.plusSeconds(90)).epochs())
                    .as("a growth already recorded keeps its first date")
                    .last()
                    .isEqualTo(new GrowthHistory.Epoch(6, T0.plusSeconds(60)));
        }
    }

    @Test
    void twoReplicasViewsMergeToEveryCountDatedByItsFirstSighting() {
        GrowthHistory a = GrowthLog.parse("orders", "3@0;6@60000");
        GrowthHistory b = GrowthLog.parse("orders", "3@0;6@55000;9@120000");

        assertThat(GrowthLog.format(GrowthLog.merge(a, b))).isEqualTo("3@0;6@55000;9@120000");
        assertThat(GrowthLog.format(GrowthLog.merge(b, a))).isEqualTo("3@0;6@55000;9@120000");
    }
}
