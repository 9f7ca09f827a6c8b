package io.eventprocessor.partitions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.TopicPartition;

import io.eventprocessor.kafka.Channels;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Carries out the key-order gate's bound on held records ({@code processor.key-order.max-held-records}) on the
 * consumer, on its polling thread: pauses each partition stopped at the bound, and seeks each partition to read again
 * back to its first dropped record, then resumes it. The gate decides, on the same thread, so no poll comes between its
 * decision and the seek. The connector resumes every partition when its own queue drains; the gate then drops what a
 * stopped partition brings and asks for the pause again.
 */
@ApplicationScoped
public class FetchStops {

    private final KeyOrderGate gate;
    private final KafkaClientService clients;

    public FetchStops(KeyOrderGate gate, KafkaClientService clients) {
        this.gate = gate;
        this.clients = clients;
    }

    /** Makes the gate's fetch changes, without waiting for them. */
    public void apply() {
        clients.getConsumers(Channels.EVENTS_IN)
                .get(0)
                .runOnPollingThread(consumer -> {
                    KeyOrderGate.FetchChanges changes = gate.fetchChanges();
                    Set<TopicPartition> assigned = consumer.assignment();
                    Set<TopicPartition> pause = new HashSet<>(changes.pause());
                    pause.retainAll(assigned);
                    if (!pause.isEmpty()) {
                        consumer.pause(pause);
                    }
                    changes.readAgainFrom().forEach((partition, offset) -> {
                        if (assigned.contains(partition)) {
                            consumer.seek(partition, offset);
                            consumer.resume(List.of(partition));
                            Log.debugf(
                                    "Reading %s again from %d: its held records fell below half the bound",
                                    partition, offset);
                        }
                    });
                })
                .subscribe()
                .with(ignored -> {}, failure -> Log.warnf("Could not pause or resume partitions: %s", failure));
    }
}
