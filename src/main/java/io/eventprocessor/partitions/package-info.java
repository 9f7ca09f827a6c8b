/**
 * Partition safety: new partitions start at their earliest offset, rebalances commit and fence, and the ownership
 * monitor tells liveness, readiness, metrics and {@code GET /partitions} who owns which partition.
 */
package io.eventprocessor.partitions;
