/**
 * Writing a batch's outputs: processed records and dead letters, at-least-once or in one transaction with the
 * consumed offsets (exactly-once).
 */
package io.eventprocessor.delivery;
