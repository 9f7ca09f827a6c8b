package io.eventprocessor.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An event enriched by the processor, as written to the processed topic.
 *
 * @param id the event's id, or {@code <topic>-<partition>-<offset>} when the record had none
 * @param key the record key, if any
 * @param type the event type
 * @param payload the event payload, byte for byte as it was read
 * @param source where the event was read from
 * @param processedAt when this instance processed it
 * @param processedBy the instance that processed it ({@code processor.instance-id})
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessedEvent(
        String id, String key, String type, RawJson payload, Source source, Instant processedAt, String processedBy) {

    /**
     * Position of the input record.
     *
     * @param topic input topic
     * @param partition input partition
     * @param offset input offset
     */
    @RegisterForReflection
    public record Source(String topic, int partition, long offset) {}
}
