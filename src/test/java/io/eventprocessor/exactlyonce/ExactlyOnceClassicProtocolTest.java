package io.eventprocessor.exactlyonce;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
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
            return IsolatedPipeline.config(
                    TOPIC,
                    GROUP,
                    Map.of("processor.delivery", "exactly-once", "processor.partitions.group-protocol", "classic"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "3", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @Test
    void aMemberJoiningAndDyingAndTheTopicGrowingMidStreamLoseAndDuplicateNothing() throws Exception {
        MidStreamChurn.run(companion, TOPIC, GROUP, "classic", 5, TIMEOUT);
    }
}
