package io.eventprocessor.processing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.ProcessedEvent;
import io.quarkus.logging.Log;

/**
 * The processing step proper: turns a valid event into a processed one. Anything it throws is treated
 * as a possibly transient failure and retried by {@link EventProcessor} per {@code processor.processing.*}.
 */
@ApplicationScoped
public class EventEnricher {

    private final InstanceName instance;
    private final Clock clock;
    private final Optional<Integer> hangPartition;

    public EventEnricher(InstanceName instance, Clock clock, ProcessorConfig config) {
        this.clock = clock;
        this.hangPartition = config.faultInjection().hangPartition();
        hangPartition.ifPresent(partition -> Log.warnf(
                "Fault injection on (processor.fault-injection.hang-partition=%d): "
                        + "processing of any record of partition %d hangs until the process stops",
                partition, partition));
        this.instance = instance;
    }

    /** Adds where the event came from, when and by whom it was processed. */
    public ProcessedEvent enrich(Event event, ConsumerRecord<byte[], byte[]> record) {
        if (hangPartition.isPresent() && hangPartition.get() == record.partition()) {
            hang();
        }
        String id = event.id() != null ? event.id() : record.topic() + "-" + record.partition() + "-" + record.offset();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return new ProcessedEvent(
                id,
                key,
                event.type(),
                event.payload(),
                new ProcessedEvent.Source(record.topic(), record.partition(), record.offset()),
                Instant.now(clock),
                instance.value());
    }

    private static void hang() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("fault injection: processing interrupted while hanging", e);
        }
    }
}
