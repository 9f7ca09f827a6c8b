package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.config.ProcessorConfig.Assignor;
import io.eventprocessor.config.ProcessorConfig.GroupProtocol;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Which assignor each protocol gets, and which it refuses. */
class KafkaClientSettingsUnitTest {

    private static final ConsumedTopics EVENTS = ConsumedTopics.listed(List.of("events"));
    private static final OutputTopics OUTPUTS = new OutputTopics("events-processed", "events-dlq");

    @Test
    void eachProtocolHasItsDefaultAssignor() {
        assertThat(Assignors.effective(GroupProtocol.CONSUMER, Optional.empty()))
                .isEqualTo(Assignor.UNIFORM);
        assertThat(Assignors.effective(GroupProtocol.CLASSIC, Optional.empty())).isEqualTo(Assignor.COOPERATIVE_STICKY);
        assertThat(Assignors.effective(GroupProtocol.CLASSIC, Optional.of(Assignor.RANGE)))
                .isEqualTo(Assignor.RANGE);
    }

    /** Topic limits from a cluster that does not answer: none known, so batch.size stays Kafka's. */
    private static TopicMessageLimits unknownLimits(ProcessorConfig config) {
        return new TopicMessageLimits(
                config,
                ConsumedTopics.of(config.topics()),
                OutputTopics.of(config.topics()),
                Map.of(),
                new AdminClients(config, Map.of(), "localhost:1"));
    }

    private static ProcessorConfig defaults(String delivery) {
        return new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("processor.delivery", delivery)
                .withDefaultValue("processor.partitions.check-timeout", "100ms")
                .build()
                .getConfigMapping(ProcessorConfig.class);
    }

    @Test
    void bothProducersRefreshMetadataEverySecondAndIngestBlocksNoLongerThanItsAckTimeout() {
        ProcessorConfig config = defaults("at-least-once");
        KafkaClientSettings settings = new KafkaClientSettings();

        assertThat(settings.producerSettings(config, unknownLimits(config)))
                .containsEntry("metadata.max.age.ms", "1000")
                .containsEntry("max.block.ms", "10000")
                .doesNotContainKey("batch.size");
        assertThat(settings.processedProducerSettings(
                        config, new InstanceName("replica-1"), "the-group", EVENTS, OUTPUTS, unknownLimits(config)))
                .containsEntry("metadata.max.age.ms", "1000")
                .doesNotContainKey("max.block.ms")
                .doesNotContainKeys("transactional.id", "batch.size");
    }

    @Test
    void exactlyOnceGivesTheProcessorsProducerOneTransactionalIdPerGroupAndInstance() {
        ProcessorConfig config = defaults("exactly-once");

        assertThat(new KafkaClientSettings()
                        .processedProducerSettings(
                                config,
                                new InstanceName("replica-1"),
                                "the-group",
                                EVENTS,
                                OUTPUTS,
                                unknownLimits(config)))
                .containsEntry("transactional.id", "the-group-replica-1")
                .containsEntry("transaction.timeout.ms", "10000");
    }

    @Test
    void bothModesReadCommittedAndCommitOffsetsThemselvesExactlyOnceInLargerBatches() {
        KafkaClientSettings settings = new KafkaClientSettings();

        assertThat(settings.consumerSettings(config("at-least-once"), EVENTS, classic("at-least-once")))
                .containsEntry("max.poll.records", "500")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("throttled.unprocessed-record-max-age.ms", "0")
                .as("offsets are committed by partitions.OffsetCommits")
                .containsEntry("commit-strategy", "ignore");
        assertThat(settings.consumerSettings(config("exactly-once"), EVENTS, classic("exactly-once")))
                .containsEntry("max.poll.records", "2000")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("commit-strategy", "ignore");
        assertThat(settings.consumerSettings(config("exactly-once", "750"), EVENTS, classic("exactly-once")))
                .as("processor.batch-size")
                .containsEntry("max.poll.records", "750");
    }

    @Test
    void theConsumerSubscribesToTheListedTopicsOrToThePattern() {
        assertThat(KafkaClientSettings.subscription(ConsumedTopics.listed(List.of("t0", "t1"))))
                .isEqualTo(Map.of("topics", "t0,t1"));
        assertThat(KafkaClientSettings.subscription(ConsumedTopics.matching(Pattern.compile("t[0-9]+"))))
                .isEqualTo(Map.of("topic", "t[0-9]+", "pattern", "true"));
        assertThat(new KafkaClientSettings()
                        .producerSettings(defaults("at-least-once"), unknownLimits(defaults("at-least-once"))))
                .as("the ingest topic")
                .containsEntry("topic", "events");
    }

    @Test
    void everySettingDerivedHereIsGuardedAgainstChannelAttributesUnlessItMayBeOverridden() {
        KafkaClientSettings settings = new KafkaClientSettings();
        ProcessorConfig config = defaults("exactly-once");
        Map<String, Map<String, Object>> derived = Map.of(
                "mp.messaging.incoming.events-in",
                settings.consumerSettings(config("exactly-once"), EVENTS, classic("exactly-once")),
                "mp.messaging.outgoing.events-out",
                settings.producerSettings(config, unknownLimits(config)),
                "mp.messaging.outgoing.events-processed",
                settings.processedProducerSettings(
                        config, new InstanceName("replica-1"), "the-group", EVENTS, OUTPUTS, unknownLimits(config)));

        derived.forEach((channel, values) -> assertThat(values.keySet())
                .as("settings of %s that ChannelAttributesCheck does not know", channel)
                .allMatch(key -> ChannelAttributesCheck.DERIVED.get(channel).containsKey(key)
                        || ChannelAttributesCheck.OVERRIDABLE.contains(key)));
    }

    private static ProcessorConfig config(String delivery) {
        return config(delivery, null);
    }

    private static ProcessorConfig config(String delivery, String batchSize) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("processor.delivery", delivery)
                .withDefaultValue("processor.partitions.group-protocol", "classic");
        if (batchSize != null) {
            builder.withDefaultValue("processor.batch-size", batchSize);
        }
        return builder.build().getConfigMapping(ProcessorConfig.class);
    }

    /** A protocol choice that needs no cluster: {@code classic} set explicitly. */
    private static GroupProtocolChoice classic(String delivery) {
        ProcessorConfig config = config(delivery);
        return new GroupProtocolChoice(config, new AdminClients(config, Map.of(), "localhost:9092"));
    }

    @Test
    void anAssignorTheProtocolDoesNotHaveIsRefusedByName() {
        assertThatThrownBy(() -> Assignors.effective(GroupProtocol.CONSUMER, Optional.of(Assignor.STICKY)))
                .hasMessage("processor.partitions.assignor=sticky does not exist with the consumer group protocol; "
                        + "use uniform or range");
        assertThatThrownBy(() -> Assignors.effective(GroupProtocol.CLASSIC, Optional.of(Assignor.UNIFORM)))
                .hasMessageContaining("use range, roundrobin, sticky or cooperative-sticky");
        assertThat(Assignors.onlyClassic(Assignor.ROUNDROBIN)).isTrue();
        assertThat(Assignors.onlyClassic(Assignor.RANGE)).isFalse();
    }
}
