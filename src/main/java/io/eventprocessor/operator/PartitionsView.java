package io.eventprocessor.operator;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.GroupProtocolChoice;
import io.eventprocessor.partitions.KeyOrderGate;
import io.eventprocessor.partitions.OwnershipSnapshot;
import io.eventprocessor.partitions.PartitionPickup;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code GET /partitions}: the snapshot and, for convenience, the names of the unowned partitions.
 *
 * @param snapshot the ownership snapshot
 * @param unowned names ({@code topic-partition}) of the partitions without an owner
 * @param protocolInUse the group protocol this replica chose at start-up and why ({@code null} before the choice)
 * @param unownedGracePeriodSeconds {@code processor.partitions.unowned-grace-period}: how long a partition may be
 *        unowned before liveness acts
 * @param stallTimeoutSeconds {@code processor.partitions.stall-timeout}: how long an owned partition with lag may
 *        keep its committed offset before it counts as stalled
 * @param newPartitions partitions that appeared while this replica runs, in the last minutes, with their pickup time
 * @param heldForOrder this replica's partitions holding records of keys a growth moved, and what they wait for
 */
@RegisterForReflection
public record PartitionsView(
        @JsonUnwrapped OwnershipSnapshot snapshot,
        List<String> unowned,
        GroupProtocolChoice.Choice protocolInUse,
        long unownedGracePeriodSeconds,
        long stallTimeoutSeconds,
        List<PartitionPickup.NewPartition> newPartitions,
        List<KeyOrderGate.Hold> heldForOrder) {

    static PartitionsView of(
            OwnershipSnapshot snapshot,
            GroupProtocolChoice.Choice protocolInUse,
            ProcessorConfig.Partitions settings,
            List<PartitionPickup.NewPartition> newPartitions,
            List<KeyOrderGate.Hold> heldForOrder) {
        return new PartitionsView(
                snapshot,
                snapshot.unowned().stream()
                        .map(OwnershipSnapshot.PartitionOwnership::name)
                        .toList(),
                protocolInUse,
                settings.unownedGracePeriod().toSeconds(),
                settings.stallTimeout().toSeconds(),
                newPartitions,
                heldForOrder);
    }
}
