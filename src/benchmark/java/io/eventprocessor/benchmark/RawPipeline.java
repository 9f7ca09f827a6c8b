package io.eventprocessor.benchmark;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.event.UnreadableEventException;
import io.eventprocessor.processing.EventEnricher;

/**
 * The throughput baseline: a plain {@code KafkaConsumer} → {@code KafkaProducer} loop doing the
 * service's transform (the same {@link EventReader} and {@link EventEnricher}, JSON out), at least once:
 * poll, transform and send every record, flush, then commit. Same client settings as the service's
 * channels ({@link ChannelKafkaProperties}). Arguments:
 * {@code <bootstrap> <input topic> <output topic> <group> <group protocol>}; stops on SIGTERM.
 */
public final class RawPipeline {

    private RawPipeline() {}

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        Map<String, Object> consumerSettings = new HashMap<>(ChannelKafkaProperties.consumer());
        consumerSettings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, args[3]);
        consumerSettings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, args[4]);
        consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, Object> producerSettings = new HashMap<>(ChannelKafkaProperties.producer());
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);

        EventReader reader = new EventReader(new ObjectMapper());
        EventEnricher enricher = new EventEnricher(new InstanceName("raw-pipeline"), Clock.systemUTC());
        ObjectMapper writer = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        long processed = 0;
        long unreadable = 0;
        try (consumer;
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(input));
            try {
                while (true) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        try {
                            ProcessedEvent result = enricher.enrich(reader.readRecord(record.value()), record);
                            producer.send(new ProducerRecord<>(output, record.key(), writer.writeValueAsBytes(result)));
                            processed++;
                        } catch (UnreadableEventException | JsonProcessingException e) {
                            unreadable++;
                        }
                    }
                    if (!records.isEmpty()) {
                        producer.flush();
                        consumer.commitAsync();
                    }
                }
            } catch (WakeupException e) {
                consumer.commitSync();
            }
        } finally {
            System.out.println("raw pipeline stopped: " + processed + " processed, " + unreadable + " unreadable");
            stopped.countDown();
        }
    }
}
