package io.eventprocessor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What processor.topics.* make of the consumed and output topics, and what they refuse. */
class ConsumedTopicsUnitTest {

    private static ProcessorConfig config(Map<String, String> settings) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter());
        settings.forEach(builder::withDefaultValue);
        return builder.build().getConfigMapping(ProcessorConfig.class);
    }

    private static ProcessorConfig.Topics topics(Map<String, String> settings) {
        return config(settings).topics();
    }

    /** The consumed topics as the application gets them, checked. */
    private static ConsumedTopics consumed(Map<String, String> settings) {
        return new TopicsProducer().consumedTopics(config(settings));
    }

    @Test
    void byDefaultTheProcessorReadsTheIngestTopic() {
        assertThat(consumed(Map.of()).listed()).containsExactly("events");
        assertThat(consumed(Map.of("processor.topics.events", "raw")).listed()).containsExactly("raw");
        assertThat(consumed(Map.of()).pattern()).isEmpty();
        assertThat(consumed(Map.of("processor.topics.consume", "", "processor.topics.consume-pattern", ""))
                        .listed())
                .as("empty values, as the compose file passes them, are unset")
                .containsExactly("events");
    }

    @Test
    void aListIsReadAsListedAndAPatternMatchesWholeNames() {
        ConsumedTopics listed = consumed(Map.of("processor.topics.consume", "t0, t1"));
        assertThat(listed.listed()).containsExactly("t0", "t1");
        assertThat(listed.includes("t1")).isTrue();
        assertThat(listed.includes("events"))
                .as("the ingest topic is read only when listed")
                .isFalse();
        assertThat(listed.among(List.of("t1", "t2", "t0"))).containsExactly("t0", "t1");

        ConsumedTopics matching = consumed(Map.of("processor.topics.consume-pattern", "t[0-9]+"));
        assertThat(matching.includes("t2")).isTrue();
        assertThat(matching.includes("t2-processed"))
                .as("whole names, as Kafka matches them")
                .isFalse();
        assertThat(matching.among(List.of("t10", "x", "t2", "t2-dlq"))).containsExactly("t10", "t2");
        assertThat(matching).hasToString("topics matching t[0-9]+");
    }

    @Test
    void contradictionsAndLoopsRefuseToStartNamingTheSettings() {
        assertThatThrownBy(() ->
                        consumed(Map.of("processor.topics.consume", "t0", "processor.topics.consume-pattern", "t.*")))
                .hasMessageContaining("processor.topics.consume and processor.topics.consume-pattern are both set");
        assertThatThrownBy(() -> consumed(Map.of("processor.topics.consume-pattern", "t[0-")))
                .hasMessageStartingWith("processor.topics.consume-pattern=t[0- is not a regular expression");
        assertThatThrownBy(() -> consumed(Map.of("processor.topics.consume-pattern", "events.*")))
                .as("the default outputs events-processed and events-dlq match")
                .hasMessageContaining("include events-processed")
                .hasMessageContaining("it would read its own output");
        assertThatThrownBy(() -> consumed(Map.of(
                        "processor.topics.consume", "t0,t0-dlq",
                        "processor.topics.dead-letter", "{topic}-dlq")))
                .hasMessageContaining("include t0-dlq");
        assertThat(consumed(Map.of(
                                "processor.topics.consume-pattern",
                                "t[0-9]+",
                                "processor.topics.processed",
                                "{topic}-processed"))
                        .includes("t0"))
                .isTrue();
    }

    @Test
    void outputTopicsAreOneTopicOrOnePerInput() {
        OutputTopics single = OutputTopics.of(topics(Map.of()));
        assertThat(single.processed("t0")).isEqualTo("events-processed");
        assertThat(single.deadLetter("t1")).isEqualTo("events-dlq");
        assertThat(single.perInput()).isFalse();

        OutputTopics perInput = OutputTopics.of(topics(
                Map.of("processor.topics.processed", "{topic}-processed", "processor.topics.dead-letter", "dlq")));
        assertThat(perInput.processed("t0")).isEqualTo("t0-processed");
        assertThat(perInput.deadLetter("t0")).isEqualTo("dlq");
        assertThat(perInput.perInput()).isTrue();
        assertThat(perInput.knownFor(ConsumedTopics.listed(List.of("t0", "t1"))))
                .containsExactly("t0-processed", "dlq", "t1-processed");
        assertThat(perInput.knownFor(ConsumedTopics.of(topics(Map.of("processor.topics.consume-pattern", "t.+")))))
                .as("for a pattern, only the outputs that do not depend on the input are known before reading")
                .containsExactly("dlq");
    }
}
