/** The event model: events read from request bodies and records, processed events written as JSON. */
package io.eventprocessor.event;
