package io.eventprocessor.exactlyonce;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@link ExactlyOnceTest}'s member churn and topic growth with the classic group protocol (cooperative-sticky):
 * revocations come in a second rebalance, generations instead of member epochs fence the commits.
 */
@QuarkusTest
@TestProfile(ExactlyOnceClassicProtocolTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class ExactlyOnceClassicProtocolTest {

    static final String TOPIC = "eos-classic";
    static final String GROUP = "eos-classic-group";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(TOPIC, GROUP, Map.of("processor.delivery", "exactly-once",
                    "processor.partitions.group-protocol", "classic"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Topics.class));
        }
    }

    /** Three input partitions. */
    public static class Topics implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            InProcessKafkaResource.companion().topics().create(List.of(new NewTopic(TOPIC, 3, (short) 1),
                    new NewTopic(TOPIC + "-processed", 1, (short) 1)));
            return Map.of();
        }

        @Override
        public void stop() {
            // the topics go with the test broker
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aMemberJoiningAndDyingAndTheTopicGrowingMidStreamLoseAndDuplicateNothing() throws Exception {
        MidStreamChurn.run(companion, TOPIC, GROUP, "classic", 5, TIMEOUT);
    }
}
