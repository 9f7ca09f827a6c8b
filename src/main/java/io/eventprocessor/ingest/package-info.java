/** {@code POST /events}: authorization, bounded bodies, validation, and publishing to the events topic. */
package io.eventprocessor.ingest;
