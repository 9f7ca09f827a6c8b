package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The events-in consumer never resets to latest by itself; other values and channels pass unchanged. */
class StartOffsetResetUnitTest {

    private final StartOffsetReset customizer = new StartOffsetReset();

    @Test
    void latestBecomesEarliestForTheEventsConsumer() {
        assertThat(customizer.customize(Channels.EVENTS_IN, null, Map.of("auto.offset.reset", "latest")))
                .containsEntry("auto.offset.reset", "earliest");
    }

    @Test
    void absentMeansKafkasLatestAndBecomesEarliest() {
        assertThat(customizer.customize(Channels.EVENTS_IN, null, new HashMap<>(Map.of("group.id", "g"))))
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("group.id", "g");
    }

    @Test
    void otherValuesAndChannelsAreLeftAlone() {
        assertThat(customizer.customize(Channels.EVENTS_IN, null, Map.of("auto.offset.reset", "none")))
                .containsEntry("auto.offset.reset", "none");
        assertThat(customizer.customize(Channels.EVENTS_OUT, null, Map.of("acks", "all")))
                .isEqualTo(Map.of("acks", "all"));
    }
}
