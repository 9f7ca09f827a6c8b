/**
 * event-processor: takes events over HTTP into Kafka, processes every partition of its topics, and tells Kubernetes when
 * one has no consumer.
 * <p>
 * Packages by job, in layers; a package uses only packages of lower layers (held by {@code LayeringUnitTest}):
 * <ol start="0">
 * <li>{@link io.eventprocessor.config}: the {@code processor.*} settings, the clock, the instance name</li>
 * <li>{@link io.eventprocessor.event}: the event model, read from and written to JSON; {@link io.eventprocessor.tracing}:
 * the trace context in record headers</li>
 * <li>{@link io.eventprocessor.kafka}: Kafka client wiring (channel names, client settings, protocol choice, topic limits,
 * producers, admin clients)</li>
 * <li>{@link io.eventprocessor.partitions}: who owns which partition, health, rebalance handling, the commit fence</li>
 * <li>{@link io.eventprocessor.delivery}: writing processed records and dead letters, at-least-once or exactly-once</li>
 * <li>{@link io.eventprocessor.processing} (the processing step), {@link io.eventprocessor.ingest} ({@code POST /events}),
 * {@link io.eventprocessor.operator} ({@code GET /partitions} and its page), {@link io.eventprocessor.devkafka} (dev
 * mode's broker)</li>
 * </ol>
 */
package io.eventprocessor;
