package io.eventprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.ChannelProducer;
import io.eventprocessor.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Writes the processor's output with the Kafka producer of channel {@code events-processed} (configured,
 * secured and monitored by the connector like any channel): processed events as JSON to
 * {@code events-processed}, and unprocessable records, unchanged, to {@code events-dlq} with the reason,
 * topic, partition and offset in their headers (the connector's dead-letter header names).
 * <p>
 * Sends are asynchronous; {@link #awaitAcknowledged(List)} waits for the broker's acknowledgements so
 * that the input is committed only after its output is stored.
 */
@ApplicationScoped
public class ProcessedEventWriter {

    static final String REASON = "dead-letter-reason";
    static final String CAUSE = "dead-letter-cause";
    static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    static final String TOPIC = "dead-letter-topic";
    static final String PARTITION = "dead-letter-partition";
    static final String OFFSET = "dead-letter-offset";

    private final ChannelProducer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final String processedTopic;
    private final String deadLetterTopic;

    /**
     * @param channel not written to: it connects channel {@code events-processed}, so that the connector
     *        creates (and monitors) its producer, which {@code clients} hands out
     */
    public ProcessedEventWriter(@Channel(Channels.EVENTS_PROCESSED) Emitter<byte[]> channel, KafkaClientService clients,
            ObjectMapper mapper, ProcessorConfig config) {
        this.producer = new ChannelProducer<>(clients, Channels.EVENTS_PROCESSED);
        this.mapper = mapper;
        this.processedTopic = config.topics().processed();
        this.deadLetterTopic = config.topics().deadLetter();
    }

    /** Sends a processed event, keyed like its source record. */
    public Future<RecordMetadata> write(ConsumerRecord<String, String> source, ProcessedEvent event) {
        byte[] value;
        try {
            value = mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write processed event " + event.id() + " as JSON", e);
        }
        return producer.get().unwrap().send(new ProducerRecord<>(processedTopic, source.key(), value));
    }

    /** Sends a record that cannot be processed to the dead-letter topic, with why and where from. */
    public Future<RecordMetadata> deadLetter(ConsumerRecord<String, String> source, Throwable reason) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        add(headers, REASON, String.valueOf(reason.getMessage()));
        add(headers, EXCEPTION_CLASS, reason.getClass().getName());
        if (reason.getCause() != null) {
            add(headers, CAUSE, String.valueOf(reason.getCause().getMessage()));
            add(headers, CAUSE_CLASS, reason.getCause().getClass().getName());
        }
        add(headers, TOPIC, source.topic());
        add(headers, PARTITION, String.valueOf(source.partition()));
        add(headers, OFFSET, String.valueOf(source.offset()));
        byte[] value = source.value() == null ? null : source.value().getBytes(StandardCharsets.UTF_8);
        return producer.get().unwrap().send(new ProducerRecord<>(deadLetterTopic, null, source.key(), value, headers));
    }

    /**
     * Waits until the broker acknowledged every send (each bounded by the producer's
     * {@code delivery.timeout.ms}).
     *
     * @throws OutputFailedException if any was not stored
     */
    public void awaitAcknowledged(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutputFailedException("interrupted while waiting for the broker", e);
            } catch (ExecutionException e) {
                throw new OutputFailedException("the broker did not store an output record: " + e.getCause().getMessage(),
                        e.getCause());
            }
        }
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
