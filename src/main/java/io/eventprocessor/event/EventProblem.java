package io.eventprocessor.event;

import java.util.List;
import java.util.stream.Collectors;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One thing wrong with an event. A field name comes from the input and can be as long as the input: it is cut to
 * {@link #MAX_FIELD_CHARS} characters, so a problem never echoes more than a line of what was sent.
 *
 * @param field where the problem is, e.g. {@code type} or {@code [2].type}; empty for the whole input
 * @param message what is wrong, e.g. {@code is required}
 */
@RegisterForReflection
public record EventProblem(String field, String message) {

    /** Longest field name kept, in characters. */
    public static final int MAX_FIELD_CHARS = 300;
    /** Most problems listed for one input; an input can hold as many as it has fields. */
    public static final int MAX_LISTED = 100;

    public EventProblem {
        field = cut(field);
        message = cut(message);
    }

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }

    /** The first {@link #MAX_LISTED} problems, with a count of the rest: at most {@code MAX_LISTED} short entries. */
    public static List<EventProblem> firstOf(List<EventProblem> problems) {
        return problems.size() <= MAX_LISTED ? List.copyOf(problems) : List.copyOf(problems.subList(0, MAX_LISTED));
    }

    /** The problems in one line: {@link #firstOf the first ones}, then how many more there are. */
    public static String summary(List<EventProblem> problems) {
        String listed = firstOf(problems).stream().map(EventProblem::toString).collect(Collectors.joining("; "));
        return problems.size() <= MAX_LISTED ? listed : listed + "; and " + (problems.size() - MAX_LISTED) + " more";
    }

    private static String cut(String text) {
        if (text.length() <= MAX_FIELD_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_FIELD_CHARS - 1)) ? MAX_FIELD_CHARS - 1 : MAX_FIELD_CHARS;
        return text.substring(0, end) + "…";
    }
}
