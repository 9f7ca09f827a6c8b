package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A producer's batch.size comes down to the smallest max.message.bytes of the topics it writes, never up. */
class TopicMessageLimitsUnitTest {

    @Test
    void aTopicLimitBelowTheBatchSizeBecomesTheBatchSize() {
        assertThat(TopicMessageLimits.cappedBatchSize(16_384, List.of(1_048_588, 2_000)))
                .contains(2_000);
    }

    @Test
    void limitsAtOrAboveTheBatchSizeLeaveItAlone() {
        assertThat(TopicMessageLimits.cappedBatchSize(16_384, List.of(1_048_588, 16_384)))
                .isEmpty();
    }

    @Test
    void noKnownLimitLeavesItAlone() {
        assertThat(TopicMessageLimits.cappedBatchSize(16_384, List.of())).isEmpty();
    }
}
