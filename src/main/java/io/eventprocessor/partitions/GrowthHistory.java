package io.eventprocessor.partitions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The partition counts one topic has had, oldest first, each with when it was first seen: where the key-order rule
 * ({@link KeyOrderRule}) looks for a key's earlier records.
 *
 * @param topic the topic
 * @param epochs its partition counts, strictly growing, each since a time no earlier than the one before
 */
public record GrowthHistory(String topic, List<Epoch> epochs) {

    /**
     * One partition count of the topic.
     *
     * @param partitions the count
     * @param since when it was first seen (for the first epoch: when the topic was first seen)
     */
    public record Epoch(int partitions, Instant since) {}

    public GrowthHistory {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("a growth history of " + topic + " needs at least one partition count");
        }
        for (int i = 1; i < epochs.size(); i++) {
            if (epochs.get(i).partitions() <= epochs.get(i - 1).partitions()
                    || epochs.get(i).since().isBefore(epochs.get(i - 1).since())) {
                throw new IllegalArgumentException("partition counts of " + topic + " must grow with time: " + epochs);
            }
        }
        epochs = List.copyOf(epochs);
    }

    /** A topic first seen with {@code partitions} partitions at {@code since}. */
    public static GrowthHistory of(String topic, int partitions, Instant since) {
        return new GrowthHistory(topic, List.of(new Epoch(partitions, since)));
    }

    /** The current partition count. */
    public int partitions() {
        return epochs.get(epochs.size() - 1).partitions();
    }

    /** This history with a count seen at {@code at}: unchanged unless the count grew. */
    public GrowthHistory seen(int partitions, Instant at) {
        if (partitions <= partitions()) {
            return this;
        }
        List<Epoch> grown = new ArrayList<>(epochs);
        grown.add(new Epoch(partitions, at));
        return new GrowthHistory(topic, grown);
    }
}
