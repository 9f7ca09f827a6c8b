package io.eventprocessor.config;

import java.util.List;
import java.util.stream.Stream;

/**
 * Where the outputs of a consumed record go: {@code processor.topics.processed} and {@code processor.topics.dead-letter},
 * each one topic, or a name in which {@value #INPUT_PLACEHOLDER} stands for the record's input topic.
 */
public final class OutputTopics {

    /** Stands for the input topic in an output topic's name. */
    public static final String INPUT_PLACEHOLDER = "{topic}";

    private final String processed;
    private final String deadLetter;

    public OutputTopics(String processed, String deadLetter) {
        this.processed = processed;
        this.deadLetter = deadLetter;
    }

    /** The output topics the settings name. */
    public static OutputTopics of(ProcessorConfig.Topics topics) {
        return new OutputTopics(topics.processed(), topics.deadLetter());
    }

    /** The topic the processed events of records of {@code input} go to. */
    public String processed(String input) {
        return processed.replace(INPUT_PLACEHOLDER, input);
    }

    /** The topic the dead letters of records of {@code input} go to. */
    public String deadLetter(String input) {
        return deadLetter.replace(INPUT_PLACEHOLDER, input);
    }

    /**
     * The output topics known before any record is read: those of the listed consumed topics, or, for a pattern, those
     * that do not depend on the input topic.
     */
    public List<String> knownFor(ConsumedTopics consumed) {
        if (consumed.pattern().isPresent()) {
            return Stream.of(processed, deadLetter)
                    .filter(name -> !name.contains(INPUT_PLACEHOLDER))
                    .distinct()
                    .toList();
        }
        return consumed.listed().stream()
                .flatMap(input -> Stream.of(processed(input), deadLetter(input)))
                .distinct()
                .toList();
    }

    /** Whether an output topic depends on the input topic. */
    public boolean perInput() {
        return processed.contains(INPUT_PLACEHOLDER) || deadLetter.contains(INPUT_PLACEHOLDER);
    }
}
