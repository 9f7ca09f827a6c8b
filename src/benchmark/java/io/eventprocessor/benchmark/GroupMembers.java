package io.eventprocessor.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Helper JVM of the ownership-cost benchmark: {@code count} consumers (consumer protocol) in one group on
 * one topic, each polling on its own thread until the JVM is stopped. Arguments: bootstrap servers, topic,
 * group, count.
 */
public final class GroupMembers {

    private GroupMembers() {}

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        int count = Integer.parseInt(args[3]);
        List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.GROUP_ID_CONFIG,
                            group,
                            ConsumerConfig.CLIENT_ID_CONFIG,
                            "cost-member-" + i,
                            ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                            "consumer"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            consumers.add(consumer);
            Thread poller = new Thread(
                    () -> {
                        try {
                            consumer.subscribe(List.of(topic));
                            while (true) {
                                consumer.poll(Duration.ofSeconds(1));
                            }
                        } catch (WakeupException e) {
                            // stopping
                        } finally {
                            consumer.close(Duration.ofSeconds(5));
                            stopped.countDown();
                        }
                    },
                    "member-" + i);
            poller.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumers.forEach(KafkaConsumer::wakeup);
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        stopped.await();
    }
}
