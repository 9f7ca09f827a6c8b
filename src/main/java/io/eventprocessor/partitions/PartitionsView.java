package io.eventprocessor.partitions;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code GET /partitions}: the snapshot and, for convenience, the names of the unowned partitions.
 *
 * @param snapshot the ownership snapshot
 * @param unowned names ({@code topic-partition}) of the partitions without an owner
 * @param protocolInUse the group protocol this replica chose at start-up and why ({@code null} before the choice)
 */
@RegisterForReflection
public record PartitionsView(@JsonUnwrapped OwnershipSnapshot snapshot, List<String> unowned,
        GroupProtocolChoice.Choice protocolInUse) {

    static PartitionsView of(OwnershipSnapshot snapshot, GroupProtocolChoice.Choice protocolInUse) {
        return new PartitionsView(snapshot,
                snapshot.unowned().stream().map(OwnershipSnapshot.PartitionOwnership::name).toList(), protocolInUse);
    }
}
