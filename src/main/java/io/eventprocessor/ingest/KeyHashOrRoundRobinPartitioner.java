package io.eventprocessor.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Kafka partitioner for topic {@code events}: a record with a key goes where Kafka's default
 * partitioner would put it (murmur2 of the key), so a key keeps its order; a record without a key
 * goes to the next partition in turn, over <em>all</em> current partitions of the topic, including
 * partitions added while the service runs (as soon as the producer's metadata shows them).
 * <p>
 * Kafka's own default spreads keyless records in sticky batches, and its
 * {@code RoundRobinPartitioner} ignores keys; neither fits.
 */
@RegisterForReflection
public class KeyHashOrRoundRobinPartitioner implements Partitioner {

    private final Map<String, AtomicInteger> nextByTopic = new ConcurrentHashMap<>();

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionsForTopic(topic).size();
        if (keyBytes == null) {
            int next = nextByTopic.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
            return Math.floorMod(next, partitions);
        }
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing to release
    }
}
