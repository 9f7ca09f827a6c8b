package io.eventprocessor.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer-group member under the test's control: a plain {@link KafkaConsumer} polling on its own
 * thread. It never commits, so whatever it reads stays for the next owner. It can leave the group or
 * die (stop without leaving: the broker fences it after the session timeout).
 */
public final class GroupMember implements AutoCloseable {

    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final String clientId;
    private volatile boolean running = true;
    private volatile boolean leaveOnStop = true;
    private volatile Set<TopicPartition> assignment = Set.of();

    private GroupMember(Map<String, Object> config, String topic) {
        this.clientId = (String) config.get(ConsumerConfig.CLIENT_ID_CONFIG);
        this.thread = new Thread(() -> pollUntilStopped(config, topic), "group-member-" + clientId);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Joins a group and polls until stopped.
     *
     * @param protocol {@code consumer} or {@code classic}
     * @param extra further consumer properties, e.g. {@code metadata.max.age.ms}
     */
    public static GroupMember join(
            String group, String topic, String protocol, String clientId, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, InProcessKafkaResource.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.putAll(extra);
        return new GroupMember(config, topic);
    }

    public String clientId() {
        return clientId;
    }

    /** Partitions this member holds now. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Stops polling and leaves the group. */
    public void leave() {
        stop(true);
    }

    /** Stops polling without leaving the group, as a crashed process would. */
    public void die() {
        stop(false);
    }

    @Override
    public void close() {
        stop(true);
    }

    private void stop(boolean leave) {
        if (!running) {
            return;
        }
        leaveOnStop = leave;
        running = false;
        try {
            stopped.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollUntilStopped(Map<String, Object> config, String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        try {
            consumer.subscribe(List.of(topic));
            while (running) {
                consumer.poll(Duration.ofMillis(100));
                assignment = Set.copyOf(consumer.assignment());
            }
        } finally {
            consumer.close(CloseOptions.groupMembershipOperation(
                    leaveOnStop
                            ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                            : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
            stopped.countDown();
        }
    }
}
