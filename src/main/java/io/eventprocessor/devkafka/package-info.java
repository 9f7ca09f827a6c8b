/** Dev mode's in-process Kafka broker, started before the channels when nothing listens on the bootstrap address. */
package io.eventprocessor.devkafka;
