package io.eventprocessor.ingest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Kafka partitioner for topic {@code events}: a record with a key goes where Kafka's default
 * partitioner would put it (murmur2 of the key), so a key keeps its order; a record without a key
 * goes to the next partition in turn, over <em>all</em> current partitions of the topic that have a
 * leader, including partitions added while the service runs (as soon as the producer's metadata shows
 * them).
 * <p>
 * Kafka's own default spreads keyless records in sticky batches, and its
 * {@code RoundRobinPartitioner} ignores keys; neither fits.
 */
@RegisterForReflection
public class KeyHashOrRoundRobinPartitioner implements Partitioner {

    private final Map<String, AtomicInteger> nextByTopic = new ConcurrentHashMap<>();

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        if (keyBytes == null) {
            int next =
                    nextByTopic.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement();
            // Partitions with a leader, so that a leader failover does not hold keyless records back; all of
            // them when none has one (the records then wait for a leader like any other).
            List<PartitionInfo> available = cluster.availablePartitionsForTopic(topic);
            if (!available.isEmpty()) {
                return available.get(Math.floorMod(next, available.size())).partition();
            }
            return Math.floorMod(next, cluster.partitionsForTopic(topic).size());
        }
        return Utils.toPositive(Utils.murmur2(keyBytes))
                % cluster.partitionsForTopic(topic).size();
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
