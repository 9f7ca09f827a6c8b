package io.eventprocessor.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes one event every 10 ms straight into one partition (bypassing the service), and
 * remembers, in order, the ids the broker acknowledged.
 */
final class PacedWriter implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final List<String> acknowledged = new ArrayList<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private ScheduledFuture<?> writing;

    PacedWriter(String bootstrapServers) {
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        0),
                new StringSerializer(),
                new StringSerializer());
    }

    /** Starts writing into the partition of the topic; ids are {@code <prefix>-<n>}. */
    synchronized void start(String topic, int partition, String idPrefix) {
        stop();
        acknowledged.clear();
        writing = clock.scheduleAtFixedRate(
                () -> {
                    String id = idPrefix + "-" + sequence.incrementAndGet();
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    partition,
                                    null,
                                    "{\"id\":\"" + id + "\",\"type\":\"benchmark.pickup\",\"payload\":{\"partition\":"
                                            + partition + "}}"),
                            (metadata, failure) -> {
                                if (failure == null) {
                                    synchronized (acknowledged) {
                                        acknowledged.add(id);
                                    }
                                }
                            });
                },
                0,
                10,
                TimeUnit.MILLISECONDS);
    }

    /** Stops writing and returns the acknowledged ids, in the order written. */
    synchronized List<String> stop() {
        if (writing != null) {
            writing.cancel(false);
            writing = null;
            producer.flush();
        }
        synchronized (acknowledged) {
            return new ArrayList<>(acknowledged);
        }
    }

    @Override
    public void close() {
        stop();
        clock.shutdownNow();
        producer.close();
    }
}
