package io.eventprocessor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

/** Keys where Kafka's default puts them; keyless records in turn over the partitions that have a leader. */
class KeyHashOrRoundRobinPartitionerUnitTest {

    private static final Node BROKER = new Node(1, "localhost", 9092);
    private final KeyHashOrRoundRobinPartitioner partitioner = new KeyHashOrRoundRobinPartitioner();

    @Test
    void keylessRecordsGoInTurnOverEveryPartition() {
        Cluster cluster = cluster(4, Set.of());

        List<Integer> partitions =
                IntStream.range(0, 8).mapToObj(i -> keyless(cluster)).toList();

        assertThat(partitions).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
    }

    @Test
    void keylessRecordsSkipPartitionsWithoutALeaderDuringAFailover() {
        Cluster cluster = cluster(4, Set.of(1));

        List<Integer> partitions =
                IntStream.range(0, 6).mapToObj(i -> keyless(cluster)).toList();

        assertThat(partitions).containsExactly(0, 2, 3, 0, 2, 3);
        assertThat(keyless(cluster(2, Set.of(0, 1))))
                .as("no leader anywhere: still a partition")
                .isBetween(0, 1);
    }

    @Test
    void keyedRecordsGoWhereKafkasDefaultPutsThemLeaderOrNot() {
        byte[] key = "customer-7".getBytes(StandardCharsets.UTF_8);
        int expected = BuiltInPartitioner.partitionForKey(key, 4);

        assertThat(partitioner.partition("events", "customer-7", key, null, null, cluster(4, Set.of())))
                .isEqualTo(expected);
        assertThat(partitioner.partition("events", "customer-7", key, null, null, cluster(4, Set.of(expected))))
                .as("a key keeps its partition through a failover")
                .isEqualTo(expected);
    }

    private int keyless(Cluster cluster) {
        return partitioner.partition("events", null, null, null, null, cluster);
    }

    private static Cluster cluster(int partitions, Set<Integer> withoutLeader) {
        List<PartitionInfo> infos = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            Node leader = withoutLeader.contains(partition) ? null : BROKER;
            infos.add(new PartitionInfo("events", partition, leader, new Node[] {BROKER}, new Node[] {BROKER}));
        }
        return new Cluster("test-cluster", List.of(BROKER), infos, Set.of(), Set.of());
    }
}
