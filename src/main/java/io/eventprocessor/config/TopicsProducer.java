package io.eventprocessor.config;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The {@link ConsumedTopics} and {@link OutputTopics} of {@code processor.topics.*}, checked when first needed (the
 * Kafka channels need them at start-up): a contradiction or a processor that would read its own output refuses to start.
 */
public class TopicsProducer {

    @Produces
    @Singleton
    ConsumedTopics consumedTopics(ProcessorConfig config) {
        ConsumedTopics consumed = ConsumedTopics.of(config.topics());
        outputLoop(consumed, OutputTopics.of(config.topics())).ifPresent(loop -> {
            throw new IllegalArgumentException(loop);
        });
        String growthTopic = config.keyOrder().growthTopic();
        if (consumed.includes(growthTopic)) {
            throw new IllegalArgumentException("the consumed " + consumed + " include " + growthTopic
                    + ", where the processor keeps the topics' growth (processor.key-order.growth-topic): choose a "
                    + "pattern that does not match it, or another name for it");
        }
        return consumed;
    }

    @Produces
    @Singleton
    OutputTopics outputTopics(ProcessorConfig config) {
        return OutputTopics.of(config.topics());
    }

    /**
     * Why the processor would read its own outputs, if it would: a consumed topic whose processed or dead-letter topic
     * is consumed too, or a pattern that matches an output topic that does not depend on the input. (A pattern with
     * per-input outputs is checked for the topics that exist, at runtime: {@code delivery.OutputRecords}.)
     */
    static Optional<String> outputLoop(ConsumedTopics consumed, OutputTopics outputs) {
        List<String> inputs =
                consumed.pattern().isEmpty() ? consumed.listed() : List.of(OutputTopics.INPUT_PLACEHOLDER);
        for (String input : inputs) {
            for (String output : List.of(outputs.processed(input), outputs.deadLetter(input))) {
                if (!output.contains(OutputTopics.INPUT_PLACEHOLDER) && consumed.includes(output)) {
                    return Optional.of("the consumed " + consumed + " include " + output
                            + ", where the processor writes (processor.topics.processed, processor.topics.dead-letter):"
                            + " it would read its own output");
                }
            }
        }
        return Optional.empty();
    }
}
