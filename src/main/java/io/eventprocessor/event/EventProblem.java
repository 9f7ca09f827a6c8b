package io.eventprocessor.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One thing wrong with an event.
 *
 * @param field where the problem is, e.g. {@code type} or {@code [2].type}; empty for the whole input
 * @param message what is wrong, e.g. {@code is required}
 */
@RegisterForReflection
public record EventProblem(String field, String message) {

    @Override
    public String toString() {
        return field.isEmpty() ? message : field + ": " + message;
    }
}
