package io.eventprocessor.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /events}: accepts one event or a JSON array of them and answers {@code 202} once the
 * broker has stored every one, with the partition and offset of each.
 */
@Path("/events")
public class EventResource {

    private final EventRequestParser parser;
    private final EventPublisher publisher;
    private final ProcessorConfig config;

    public EventResource(EventRequestParser parser, EventPublisher publisher, ProcessorConfig config) {
        this.parser = parser;
        this.publisher = publisher;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(byte[] body) {
        int limit = config.ingest().maxBodyBytes();
        if (body != null && body.length > limit) {
            throw new BodyTooLargeException(body.length, limit);
        }
        return publisher.publish(parser.parse(body))
                .map(accepted -> Response.accepted(new AcceptedEvents(accepted)).build());
    }
}
