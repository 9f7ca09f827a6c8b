/** The W3C trace context carried in record headers, from a request into its records and on into their outputs. */
package io.eventprocessor.tracing;
