package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig.Assignor;
import io.eventprocessor.config.ProcessorConfig.GroupProtocol;
import io.eventprocessor.kafka.GroupProtocolChoice.Choice;
import io.eventprocessor.kafka.GroupProtocolChoice.Cluster;

/** The group-protocol rule against what a Kafka 3.9, a Kafka 4 cluster or no answer says. */
class GroupProtocolChoiceUnitTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Kafka 3.9.1 as measured: metadata.version 21, no group.version feature. */
    private static final Optional<Cluster> KAFKA_3_9 = Optional.of(new Cluster((short) 21, false, (short) 0));
    /** Kafka 4.1.2: group.version 1 finalized by default. */
    private static final Optional<Cluster> KAFKA_4_1 = Optional.of(new Cluster((short) 27, true, (short) 1));
    /** A Kafka 4 cluster whose operators set group.version to 0. */
    private static final Optional<Cluster> KAFKA_4_OFF = Optional.of(new Cluster((short) 27, true, (short) 0));

    @Test
    void autoPicksConsumerWhereTheClusterHasItAndClassicWhereItDoesNot() {
        Choice onFour = choose(GroupProtocol.AUTO, Optional.empty(), KAFKA_4_1);
        assertThat(onFour.protocol()).isEqualTo(GroupProtocol.CONSUMER);
        assertThat(onFour.reason())
                .isEqualTo("processor.partitions.group-protocol=auto and the cluster supports the consumer "
                        + "protocol (metadata.version 27, group.version 1)");

        Choice onThree = choose(GroupProtocol.AUTO, Optional.empty(), KAFKA_3_9);
        assertThat(onThree.protocol()).isEqualTo(GroupProtocol.CLASSIC);
        assertThat(onThree.reason())
                .contains("does not support the consumer protocol (metadata.version 21, group.version not "
                        + "supported (a Kafka 3.x broker))");

        assertThat(choose(GroupProtocol.AUTO, Optional.empty(), KAFKA_4_OFF).protocol())
                .isEqualTo(GroupProtocol.CLASSIC);
    }

    @Test
    void withoutAnAnswerAutoAssumesClassicAndSaysSo() {
        Choice unknown = choose(GroupProtocol.AUTO, Optional.empty(), Optional.empty());

        assertThat(unknown.protocol()).isEqualTo(GroupProtocol.CLASSIC);
        assertThat(unknown.reason()).startsWith("the cluster could not be asked within PT5S; assuming classic");
        assertThat(choose(GroupProtocol.CONSUMER, Optional.empty(), Optional.empty())
                        .protocol())
                .as("an explicit consumer is kept")
                .isEqualTo(GroupProtocol.CONSUMER);
    }

    @Test
    void anExplicitConsumerOnAClusterWithoutItFailsStartUpNamingTheSettingAndTheCluster() {
        assertThatThrownBy(() -> choose(GroupProtocol.CONSUMER, Optional.empty(), KAFKA_3_9))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("processor.partitions.group-protocol=consumer needs the consumer group protocol, which the "
                        + "cluster does not support (metadata.version 21, group.version not supported (a Kafka 3.x broker); "
                        + "it needs Kafka 4.0 or later with group.version 1): set processor.partitions.group-protocol=auto or "
                        + "classic");
        assertThatThrownBy(() -> choose(GroupProtocol.AUTO, Optional.of(Assignor.UNIFORM), KAFKA_3_9))
                .hasMessageContaining("with processor.partitions.assignor=uniform needs the consumer group protocol");
    }

    @Test
    void classicAndClassicOnlyAssignorsNeverAskTheCluster() {
        AtomicInteger asked = new AtomicInteger();
        Supplier<Optional<Cluster>> cluster = () -> {
            asked.incrementAndGet();
            return KAFKA_4_1;
        };

        assertThat(GroupProtocolChoice.decide(GroupProtocol.CLASSIC, Optional.empty(), cluster, TIMEOUT)
                        .protocol())
                .isEqualTo(GroupProtocol.CLASSIC);
        Choice sticky = GroupProtocolChoice.decide(
                GroupProtocol.AUTO, Optional.of(Assignor.COOPERATIVE_STICKY), cluster, TIMEOUT);
        assertThat(sticky.protocol()).isEqualTo(GroupProtocol.CLASSIC);
        assertThat(sticky.reason())
                .isEqualTo(
                        "processor.partitions.assignor=cooperative-sticky exists with the classic " + "protocol only");
        assertThat(asked).hasValue(0);
        assertThat(choose(GroupProtocol.AUTO, Optional.of(Assignor.RANGE), KAFKA_3_9)
                        .protocol())
                .as("range exists with both")
                .isEqualTo(GroupProtocol.CLASSIC);
    }

    private static Choice choose(GroupProtocol configured, Optional<Assignor> assignor, Optional<Cluster> cluster) {
        return GroupProtocolChoice.decide(configured, assignor, () -> cluster, TIMEOUT);
    }
}
