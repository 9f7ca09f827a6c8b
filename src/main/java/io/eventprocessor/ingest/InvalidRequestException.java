package io.eventprocessor.ingest;

import java.util.List;

import io.eventprocessor.event.EventProblem;

/** A request body that is not a valid event or batch; answered {@code 400} naming every problem. */
public class InvalidRequestException extends RuntimeException {

    private final List<EventProblem> problems;

    public InvalidRequestException(String message, List<EventProblem> problems) {
        super(message, null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<EventProblem> problems() {
        return problems;
    }
}
