package io.eventprocessor.ingest;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of a {@code 202} answer: one entry per event, in request order.
 *
 * @param accepted the stored events
 */
@RegisterForReflection
public record AcceptedEvents(List<AcceptedEvent> accepted) {}
