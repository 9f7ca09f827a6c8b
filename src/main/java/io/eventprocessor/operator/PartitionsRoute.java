package io.eventprocessor.operator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.kafka.GroupProtocolChoice;
import io.eventprocessor.partitions.KeyOrderGate;
import io.eventprocessor.partitions.PartitionOwnershipMonitor;
import io.eventprocessor.partitions.PartitionPickup;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /partitions} on the management interface (port 9000, with health and metrics, not on the public
 * API port): the ownership snapshot as JSON, for operators and dashboards. Per partition its owner (member,
 * client id, host), committed offset, end offset and lag, plus the unowned ones; {@code dataAsOf} says how old
 * the snapshot is, {@code protocolInUse} which group protocol this replica chose at start-up, and why,
 * {@code newPartitions} which partitions appeared in the last minutes and how long their pickup took.
 */
@ApplicationScoped
public class PartitionsRoute {

    /** Path of the ownership view on the management interface. */
    public static final String PATH = "/partitions";

    /** The page that shows {@link #PATH} live, and its script and style sheet, from {@code partitions-ui/}. */
    public static final String PAGE = PATH + "/ui";

    private final PartitionOwnershipMonitor monitor;
    private final GroupProtocolChoice protocol;
    private final ObjectMapper json;
    private final ProcessorConfig.Partitions settings;
    private final KeyOrderGate keyOrder;
    private final PartitionPickup pickup;

    public PartitionsRoute(
            PartitionOwnershipMonitor monitor,
            GroupProtocolChoice protocol,
            ObjectMapper json,
            ProcessorConfig config,
            PartitionPickup pickup,
            KeyOrderGate keyOrder) {
        this.keyOrder = keyOrder;
        this.monitor = monitor;
        this.pickup = pickup;
        this.protocol = protocol;
        this.json = json;
        this.settings = config.partitions();
    }

    void register(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(this::answer);
        PartitionsPage page = PartitionsPage.load();
        management.router().get(PAGE).handler(request -> page.serve(request, "index.html"));
        management.router().get(PAGE + "/page.js").handler(request -> page.serve(request, "page.js"));
        management.router().get(PAGE + "/page.css").handler(request -> page.serve(request, "page.css"));
    }

    private void answer(RoutingContext request) {
        try {
            String body = json.writeValueAsString(PartitionsView.of(
                    monitor.snapshot(),
                    protocol.madeChoice().orElse(null),
                    settings,
                    pickup.recent(),
                    keyOrder.holds()));
            request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(body);
        } catch (JsonProcessingException e) {
            request.fail(e);
        }
    }
}
