package io.eventprocessor.ingest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.eventprocessor.event.EventProblem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * JSON body of every error answer.
 *
 * @param status the HTTP status
 * @param error short name of the status
 * @param message what went wrong, for a person
 * @param problems each problem of a rejected request, with the field it concerns
 * @param accepted events the broker did store although the request as a whole failed
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(
        int status, String error, String message, List<EventProblem> problems, List<AcceptedEvent> accepted) {

    public static ApiError of(int status, String error, String message) {
        return new ApiError(status, error, message, List.of(), List.of());
    }
}
