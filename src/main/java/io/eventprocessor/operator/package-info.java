/** The operator's view: {@code GET /partitions} and its live page on the management port. */
package io.eventprocessor.operator;
