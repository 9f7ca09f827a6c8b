/** The processing step: each polled batch read, enriched with retries, and handed to delivery. */
package io.eventprocessor.processing;
