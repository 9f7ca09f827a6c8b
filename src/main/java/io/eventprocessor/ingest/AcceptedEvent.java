package io.eventprocessor.ingest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where the broker stored an accepted event.
 *
 * @param id the event id (generated when the request had none)
 * @param partition partition of topic {@code events}
 * @param offset offset in that partition
 */
@RegisterForReflection
public record AcceptedEvent(String id, int partition, long offset) {}
