package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventprocessor.config.ProcessorConfig;

/** The ownership monitor's admin client talks to the same brokers, with the same security, as the channels. */
class PartitionOwnershipMonitorUnitTest {

    @Test
    void withoutConfiguredBootstrapServersTheConnectorDefaultIsUsed() {
        Map<String, Object> admin = PartitionOwnershipMonitor.adminConfig(Map.of(),
                ProcessorConfig.DEFAULT_BOOTSTRAP_SERVERS, Duration.ofSeconds(5));

        assertThat(admin).containsEntry("bootstrap.servers", "localhost:9092");
    }

    @Test
    void sharedKafkaSettingsWinAndOnlyAdminSettingsAreKept() {
        Map<String, Object> admin = PartitionOwnershipMonitor.adminConfig(Map.of(
                "bootstrap.servers", "broker-1:9093,broker-2:9093",
                "security.protocol", "SSL",
                "ssl.truststore.location", "/etc/tls/truststore.p12",
                "value.serializer", "not-for-an-admin-client"), "localhost:9092", Duration.ofSeconds(3));

        assertThat(admin).containsEntry("bootstrap.servers", "broker-1:9093,broker-2:9093")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/tls/truststore.p12")
                .containsEntry("request.timeout.ms", 3000)
                .doesNotContainKey("value.serializer");
    }
}
