package io.eventprocessor.partitions;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Body of {@code GET /partitions}: the snapshot and, for convenience, the names of the unowned partitions.
 *
 * @param snapshot the ownership snapshot
 * @param unowned names ({@code topic-partition}) of the partitions without an owner
 */
@RegisterForReflection
public record PartitionsView(@JsonUnwrapped OwnershipSnapshot snapshot, List<String> unowned) {

    static PartitionsView of(OwnershipSnapshot snapshot) {
        return new PartitionsView(snapshot,
                snapshot.unowned().stream().map(OwnershipSnapshot.PartitionOwnership::name).toList());
    }
}
