package io.eventprocessor.partitions;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.Channels;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Commits the {@code events-in} offsets the {@link KeyOrderGate} counts as done, with what is done beyond a held record
 * and what is held in the metadata, at-least-once: after each stored batch ({@link #stored}, then {@link #commitSoon},
 * on the polling thread without waiting), and when partitions are revoked ({@link #commitRevoked}), taking only {@linkplain OwnershipFence#current current}
 * records so that a late batch never moves a commit back. Exactly-once commits offsets only in its transactions. Why the connector does not commit: docs/design.md, "How at-least-once commits".
 */
@ApplicationScoped
public class OffsetCommits {

    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);

    private final OwnershipFence fence;
    private final KeyOrderGate gate;
    private final KafkaClientService clients;
    private final Set<TopicPartition> pending = new HashSet<>();
    private final boolean exactlyOnce;

    public OffsetCommits(OwnershipFence fence, KeyOrderGate gate, KafkaClientService clients, ProcessorConfig config) {
        this.exactlyOnce = config.delivery() == ProcessorConfig.Delivery.EXACTLY_ONCE;
        this.fence = fence;
        this.gate = gate;
        this.clients = clients;
    }

    /**
     * The at-least-once writer's report: the outputs of these records are stored.
     *
     * @param generation the group generation of the poll that read them
     */
    public void stored(Collection<? extends ConsumerRecord<?, ?>> records, int generation) {
        gate.done(records.stream()
                .filter(record -> fence.current(record, generation))
                .toList());
    }

    /**
     * Commits these partitions' done offsets on the polling thread, without waiting: what is committed is read there,
     * so a partition revoked meanwhile (committed by {@link #commitRevoked}) is left out. Requests made before the
     * polling thread gets to them are sent as one commit.
     */
    public void commitSoon(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        synchronized (pending) {
            boolean scheduled = !pending.isEmpty();
            pending.addAll(partitions);
            if (scheduled) {
                return;
            }
        }
        clients.getConsumers(Channels.EVENTS_IN)
                .get(0)
                .runOnPollingThread(consumer -> {
                    Set<TopicPartition> asked;
                    synchronized (pending) {
                        asked = new HashSet<>(pending);
                        pending.clear();
                    }
                    asked.retainAll(consumer.assignment());
                    Map<TopicPartition, OffsetAndMetadata> offsets = gate.offsets(asked);
                    if (!offsets.isEmpty()) {
                        consumer.commitAsync(offsets, (committed, failure) -> {
                            if (failure != null) {
                                Log.debugf("Commit of %s failed, the next one carries it: %s", committed, failure);
                            }
                        });
                    }
                })
                .subscribe()
                .with(ignored -> {}, failure -> Log.debugf("Could not commit on the polling thread: %s", failure));
    }

    /**
     * Commits, on the polling thread, what is done of partitions being revoked, then forgets them. The fence must
     * already count them as revoked, so that no later report adds to them. Never throws: a commit that fails is
     * logged, and the next owner starts at the offset committed before.
     */
    void commitRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = gate.offsets(partitions);
        gate.revoked(partitions);
        if (offsets.isEmpty() || exactlyOnce) {
            return;
        }
        try {
            commit(consumer, offsets);
        } catch (KafkaException e) {
            Log.warnf(
                    "Could not commit the processed offsets %s of the revoked partitions: their next owner may process "
                            + "the records after the last committed offset again (%s)",
                    offsets, e.toString());
        }
    }

    /** A wake-up the closing connector left pending fails the first call: it holds only once. */
    private static void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (WakeupException pending) {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        }
        Log.debugf("Committed the processed offsets of revoked partitions: %s", offsets);
    }
}
