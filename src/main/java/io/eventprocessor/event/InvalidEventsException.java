package io.eventprocessor.event;

import java.util.List;

/**
 * A request body that is not a valid event or batch of events, with its problems: at most
 * {@link EventProblem#MAX_LISTED} of them (the message says how many there are in all).
 */
public class InvalidEventsException extends RuntimeException {

    private final List<EventProblem> problems;

    public InvalidEventsException(String message, List<EventProblem> problems) {
        super(
                problems.size() <= EventProblem.MAX_LISTED
                        ? message
                        : message + " (the first " + EventProblem.MAX_LISTED + " of " + problems.size()
                                + " problems are listed)",
                null,
                false,
                false);
        this.problems = EventProblem.firstOf(problems);
    }

    /** A problem with the body as a whole. */
    static InvalidEventsException of(String message, String problem) {
        return new InvalidEventsException(message, List.of(new EventProblem("", problem)));
    }

    public List<EventProblem> problems() {
        return problems;
    }
}
