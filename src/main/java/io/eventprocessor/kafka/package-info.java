/**
 * Kafka client wiring: channel names, the settings each client gets, the group protocol, topic limits, the channels'
 * producers, admin clients, and the start-up check of sizes and timeouts against each other.
 */
package io.eventprocessor.kafka;
