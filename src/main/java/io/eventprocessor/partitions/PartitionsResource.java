package io.eventprocessor.partitions;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /partitions}: the ownership snapshot as JSON, for people and dashboards: per partition
 * its owner (member, client id, host), committed offset, end offset and lag, plus the unowned ones.
 */
@Path("/partitions")
public class PartitionsResource {

    private final PartitionOwnershipMonitor monitor;
    private final GroupProtocolChoice protocol;

    public PartitionsResource(PartitionOwnershipMonitor monitor, GroupProtocolChoice protocol) {
        this.monitor = monitor;
        this.protocol = protocol;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Partition ownership", description = "Every partition of the consumed topic with its owner "
            + "in the consumer group, committed offset, end offset and lag, and the partitions without an owner. "
            + "Read from the background snapshot; dataAsOf says how old it is. protocolInUse is the group protocol "
            + "this replica chose at start-up, and why.")
    public PartitionsView partitions() {
        return PartitionsView.of(monitor.snapshot(), protocol.madeChoice().orElse(null));
    }
}
