package io.eventprocessor.support;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/** Keys that Kafka's default partitioner ({@code murmur2(key) % count}) puts on chosen partitions. */
public final class PartitionerKeys {

    private PartitionerKeys() {}

    /** The first key {@code key-<n>} put on {@code homes[i]} of {@code counts[i]} partitions, for every i. */
    public static byte[] keyOn(int[] counts, int... homes) {
        for (int n = 0; n < 1_000_000; n++) {
            byte[] key = ("key-" + n).getBytes(StandardCharsets.UTF_8);
            boolean matches = true;
            for (int i = 0; i < counts.length && matches; i++) {
                matches = Utils.toPositive(Utils.murmur2(key)) % counts[i] == homes[i];
            }
            if (matches) {
                return key;
            }
        }
        throw new AssertionError("no key found");
    }
}
