package io.eventprocessor.config;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The topics the processor reads: a list ({@code processor.topics.consume}, by default {@code processor.topics.events}
 * alone) or every topic whose whole name matches {@code processor.topics.consume-pattern}, as Kafka's pattern
 * subscription matches them.
 */
public final class ConsumedTopics {

    private final List<String> listed;
    private final Pattern pattern;

    private ConsumedTopics(List<String> listed, Pattern pattern) {
        this.listed = listed;
        this.pattern = pattern;
    }

    /** A list of topics. */
    public static ConsumedTopics listed(List<String> topics) {
        return new ConsumedTopics(List.copyOf(topics), null);
    }

    /** Every topic whose name matches {@code pattern}. */
    public static ConsumedTopics matching(Pattern pattern) {
        return new ConsumedTopics(List.of(), pattern);
    }

    /**
     * The consumed topics the settings name.
     *
     * @throws IllegalArgumentException naming the setting, when both are set, a name is blank or the pattern is invalid
     */
    public static ConsumedTopics of(ProcessorConfig.Topics topics) {
        if (topics.consume().isPresent() && topics.consumePattern().isPresent()) {
            throw new IllegalArgumentException("processor.topics.consume and processor.topics.consume-pattern are both"
                    + " set: set one (a list of topics, or a pattern)");
        }
        if (topics.consumePattern().isPresent()) {
            String regex = topics.consumePattern().get();
            try {
                return matching(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "processor.topics.consume-pattern=" + regex + " is not a regular expression: "
                                + e.getDescription(),
                        e);
            }
        }
        List<String> names = topics.consume().orElse(List.of(topics.events())).stream()
                .map(String::strip)
                .distinct()
                .toList();
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(
                    "processor.topics.consume=" + topics.consume().orElse(List.of()) + " names an empty topic");
        }
        return listed(names);
    }

    /** The listed topics, in their order; empty for a pattern. */
    public List<String> listed() {
        return listed;
    }

    /** The pattern, when topics are consumed by pattern. */
    public Optional<Pattern> pattern() {
        return Optional.ofNullable(pattern);
    }

    /** Whether the processor reads {@code topic}. */
    public boolean includes(String topic) {
        return pattern == null ? listed.contains(topic) : pattern.matcher(topic).matches();
    }

    /**
     * Of the topics that exist, those the processor reads, sorted (a listed topic that does not exist is not
     * among them).
     */
    public List<String> among(Collection<String> existing) {
        return existing.stream().filter(this::includes).sorted().distinct().toList();
    }

    /** {@code [t0, t1]} or {@code topics matching t.*}, for log lines and messages. */
    @Override
    public String toString() {
        return pattern == null ? listed.toString() : "topics matching " + pattern.pattern();
    }
}
