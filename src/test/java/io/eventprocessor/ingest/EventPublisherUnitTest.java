package io.eventprocessor.ingest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.kafka.ChannelProducer;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.tracing.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;

/**
 * Events that never reach the producer do not stay counted as waiting for the broker: a request that
 * could not be handed over fails like any unacknowledged request ({@code 503}), and does not make the
 * next ones look like an overload.
 */
class EventPublisherUnitTest {

    @Test
    void requestsThatCannotBeHandedOverFailWithoutFillingTheInFlightBound() {
        ProcessorConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "10s", as Quarkus reads it
                .withDefaultValue("processor.ingest.max-in-flight", "1")
                .build()
                .getConfigMapping(ProcessorConfig.class);
        EventPublisher publisher = new EventPublisher(
                new ChannelProducer<>(new NoChannelProducers(), Channels.EVENTS_OUT),
                new ObjectMapper(),
                config,
                new TraceHeaders(OpenTelemetry.noop()));
        Event event = new Event("e-1", "customer-7", "order.created", null);

        for (int request = 1; request <= 3; request++) {
            assertThatThrownBy(() -> publisher.publish(List.of(event)).await().atMost(Duration.ofSeconds(5)))
                    .as("request %d", request)
                    .isInstanceOf(PublishFailedException.class)
                    .hasMessage(
                            "The broker did not acknowledge 1 of 1 event(s): No Kafka producer for channel events-out");
        }
    }

    /** The connector's client registry before (or after) the channels have producers. */
    private static final class NoChannelProducers implements KafkaClientService {

        @Override
        public <K, V> List<KafkaConsumer<K, V>> getConsumers(String channel) {
            return List.of();
        }

        @Override
        public <K, V> KafkaProducer<K, V> getProducer(String channel) {
            return null;
        }

        @Override
        public Set<String> getConsumerChannels() {
            return Set.of();
        }

        @Override
        public Set<String> getProducerChannels() {
            return Set.of();
        }
    }
}
