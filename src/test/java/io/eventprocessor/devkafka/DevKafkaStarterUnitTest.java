package io.eventprocessor.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Dev mode starts a broker only for a local bootstrap address. */
class DevKafkaStarterUnitTest {

    @Test
    void localAddressGivesItsPort() {
        assertThat(localPort("localhost:9092")).contains(9092);
        assertThat(localPort("127.0.0.1:19092,localhost:19093")).contains(19092);
    }

    @Test
    void remoteOrMalformedAddressGivesNothing() {
        assertThat(localPort("kafka.example.com:9092")).isEmpty();
        assertThat(localPort("localhost")).isEmpty();
        assertThat(localPort("localhost:port")).isEmpty();
        assertThat(localPort(":9092")).isEmpty();
    }

    private static Optional<Integer> localPort(String bootstrapServers) {
        return DevKafkaStarter.firstAddress(bootstrapServers)
                .filter(DevKafkaStarter::isLocal)
                .map(InetSocketAddress::getPort);
    }
}
