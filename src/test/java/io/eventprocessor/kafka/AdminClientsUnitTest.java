package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig;

/** The admin clients talk to the same brokers, with the same security, as the channels. */
class AdminClientsUnitTest {

    @Test
    void withoutConfiguredBootstrapServersTheConnectorDefaultIsUsed() {
        Map<String, Object> admin = AdminClients.settings(Map.of(), ProcessorConfig.DEFAULT_BOOTSTRAP_SERVERS, 5000);

        assertThat(admin).containsEntry("bootstrap.servers", "localhost:9092");
    }

    @Test
    void sharedKafkaSettingsWinAndOnlyAdminSettingsAreKept() {
        Map<String, Object> admin = AdminClients.settings(
                Map.of(
                        "bootstrap.servers", "broker-1:9093,broker-2:9093",
                        "security.protocol", "SSL",
                        "ssl.truststore.location", "/etc/tls/truststore.p12",
                        "value.serializer", "not-for-an-admin-client"),
                "localhost:9092",
                3000);

        assertThat(admin)
                .containsEntry("bootstrap.servers", "broker-1:9093,broker-2:9093")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/tls/truststore.p12")
                .containsEntry("request.timeout.ms", 3000)
                .doesNotContainKey("value.serializer");
    }
}
