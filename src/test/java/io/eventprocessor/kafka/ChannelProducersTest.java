package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.eventprocessor.ingest.KeyHashOrRoundRobinPartitioner;
import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;

/**
 * Both outgoing channels have the producer the service sends with ({@link ChannelProducers}), created by the
 * connector with the settings of {@code application.properties} and {@code kafka/KafkaClientSettings}: idempotent,
 * acknowledged by all in-sync replicas, and refreshing metadata every second (Kafka's default: 5 minutes), so that
 * a new partition or a leader failover shows within seconds.
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class ChannelProducersTest {

    @Inject
    @Identifier(Channels.EVENTS_OUT)
    ChannelProducer<String, byte[]> events;

    @Inject
    @Identifier(Channels.EVENTS_PROCESSED)
    ChannelProducer<byte[], byte[]> processed;

    @Test
    void ingestProducerIsTheChannelsOwnWithItsSettings() {
        Map<String, Object> settings = Map.copyOf(events.get().configuration());
        assertThat(settings)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("metadata.max.age.ms", "1000")
                .containsEntry("partitioner.class", KeyHashOrRoundRobinPartitioner.class.getName());
        assertThat(String.valueOf(settings.get("client.id"))).contains(Channels.EVENTS_OUT);
    }

    @Test
    void processorProducerIsTheChannelsOwnWithItsSettings() {
        Map<String, Object> settings = Map.copyOf(processed.get().configuration());
        assertThat(settings)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("metadata.max.age.ms", "1000");
        assertThat(String.valueOf(settings.get("client.id"))).contains(Channels.EVENTS_PROCESSED);
    }
}
