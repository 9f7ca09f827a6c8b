package io.eventprocessor.support;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code partition-ownership} check in a health answer, as the fleet tests read it from each replica. */
public final class OwnershipCheck {

    private OwnershipCheck() {}

    /** The check's JSON ({@code status}, {@code data}) in {@code health}, the body of a {@code /q/health*} answer. */
    public static JsonNode in(String health) {
        for (JsonNode check : TopicRecords.json(health).path("checks")) {
            if (check.path("name").asText().equals("partition-ownership")) {
                return check;
            }
        }
        throw new AssertionError("no partition-ownership check in " + health);
    }
}
