package io.eventprocessor.devkafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Dev mode starts a broker only for a local bootstrap address. */
class DevKafkaStarterTest {

    @Test
    void localAddressGivesItsPort() {
        assertThat(DevKafkaStarter.localPort("localhost:9092")).contains(9092);
        assertThat(DevKafkaStarter.localPort("127.0.0.1:19092,localhost:19093")).contains(19092);
    }

    @Test
    void remoteOrMalformedAddressGivesNothing() {
        assertThat(DevKafkaStarter.localPort("kafka.example.com:9092")).isEmpty();
        assertThat(DevKafkaStarter.localPort("localhost")).isEmpty();
        assertThat(DevKafkaStarter.localPort("localhost:port")).isEmpty();
    }
}
