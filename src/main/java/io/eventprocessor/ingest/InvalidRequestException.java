package io.eventprocessor.ingest;

import java.util.List;

import io.eventprocessor.event.EventProblem;

/**
 * A request body that is not a valid event or batch; answered {@code 400} naming its problems, at most
 * {@link EventProblem#MAX_LISTED} of them (the message says how many there are in all).
 */
public class InvalidRequestException extends RuntimeException {

    private final List<EventProblem> problems;

    public InvalidRequestException(String message, List<EventProblem> problems) {
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

    public List<EventProblem> problems() {
        return problems;
    }
}
