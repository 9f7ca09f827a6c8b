package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfigBuilder;

/** Channel attributes that would silently win over a {@code processor.*} setting refuse start-up, naming both. */
class ChannelAttributesCheckUnitTest {

    @Test
    void withoutSuchAttributesNothingContradicts() {
        assertThat(check(Map.of("mp.messaging.incoming.events-in.group.id", "my-group"))
                        .contradictions())
                .isEmpty();
    }

    @Test
    void anAttributeThatAProcessorSettingDerivesIsNamedWithThatSetting() {
        assertThat(check(Map.of(
                                "mp.messaging.incoming.events-in.max.poll.records", "100",
                                "mp.messaging.outgoing.events-out.metadata.max.age.ms", "300000"))
                        .contradictions())
                .containsExactly(
                        "mp.messaging.incoming.events-in.max.poll.records=100 would override what processor.batch-size "
                                + "sets: remove it and use processor.batch-size",
                        "mp.messaging.outgoing.events-out.metadata.max.age.ms=300000 would override what "
                                + "processor.partitions.metadata-max-age sets: remove it and use "
                                + "processor.partitions.metadata-max-age");
    }

    @Test
    void aChannelAttributeNamingATopicIsNamedWithTheTopicSettings() {
        assertThat(check(Map.of(
                                "mp.messaging.incoming.events-in.topic", "orders",
                                "mp.messaging.incoming.events-in.pattern", "true",
                                "mp.messaging.outgoing.events-processed.topic", "orders-out"))
                        .contradictions())
                .containsExactly(
                        "mp.messaging.incoming.events-in.pattern=true would override what processor.topics.consume or "
                                + "processor.topics.consume-pattern sets: remove it and use processor.topics.consume or "
                                + "processor.topics.consume-pattern",
                        "mp.messaging.incoming.events-in.topic=orders would override what processor.topics.consume or "
                                + "processor.topics.consume-pattern sets: remove it and use processor.topics.consume or "
                                + "processor.topics.consume-pattern",
                        "mp.messaging.outgoing.events-processed.topic=orders-out would override what "
                                + "processor.topics.processed sets: remove it and use processor.topics.processed");
    }

    @Test
    void theSettingsMeantToBeOverriddenMayBe() {
        assertThat(check(Map.of(
                                "mp.messaging.outgoing.events-processed.transaction.timeout.ms", "5000",
                                "mp.messaging.outgoing.events-out.batch.size", "4096",
                                "mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms", "60000"))
                        .contradictions())
                .isEmpty();
    }

    @Test
    void startUpIsRefused() {
        assertThatThrownBy(() -> check(Map.of("mp.messaging.incoming.events-in.isolation.level", "read_uncommitted"))
                        .check(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mp.messaging.incoming.events-in.isolation.level=read_uncommitted");
    }

    private static ChannelAttributesCheck check(Map<String, String> values) {
        return new ChannelAttributesCheck(
                new SmallRyeConfigBuilder().withDefaultValues(values).build());
    }
}
