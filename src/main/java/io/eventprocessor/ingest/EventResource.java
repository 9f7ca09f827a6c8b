package io.eventprocessor.ingest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.eventprocessor.event.Event;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /events}: accepts one event or a JSON array of them and answers {@code 202} once the
 * broker has stored every one, with the partition and offset of each.
 */
@Path(EventResource.PATH)
public class EventResource {

    static final String PATH = "/events";

    private final EventRequestParser parser;
    private final EventPublisher publisher;
    private final BoundedBody body;
    private final ShutdownGate gate;

    public EventResource(EventRequestParser parser, EventPublisher publisher, BoundedBody body, ShutdownGate gate) {
        this.parser = parser;
        this.publisher = publisher;
        this.body = body;
        this.gate = gate;
    }

    @POST
    @RolesAllowed("${processor.ingest.writer-role}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Publish events",
            description = "One event object, or a JSON array of them. Answers once the "
                    + "broker has stored every event. Events with a key keep their order; events without one go round-robin "
                    + "over all partitions.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(oneOf = {Event.class, Event[].class})))
    @APIResponse(
            responseCode = "202",
            description = "Every event stored",
            content = @Content(schema = @Schema(implementation = AcceptedEvents.class)))
    @APIResponse(
            responseCode = "400",
            description = "Invalid body; every problem named, nothing stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "401",
            description = "No bearer token, or one that is not valid (signature, issuer, "
                    + "audience, expiry); nothing stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "403",
            description = "A valid token without the role processor.ingest.writer-role; " + "nothing stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "408",
            description = "The body did not arrive within processor.ingest.body-timeout; " + "nothing stored",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "413",
            description = "Body over processor.ingest.max-body-bytes",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "415",
            description = "Content-Type is not application/json, or declares a charset " + "other than UTF-8",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "503",
            description = "The broker did not acknowledge in time, requests in hand "
                    + "already hold processor.ingest.max-in-flight-bytes or max-in-flight events, or this instance is shutting "
                    + "down; retry after Retry-After",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<Response> publish(@Context RoutingContext request) {
        DeclaredCharset.requireUtf8(request.request().getHeader(HttpHeaders.CONTENT_TYPE));
        return body.read(request)
                .call(gate::admit)
                .chain(body -> publisher.publish(parser.parse(body)))
                .map(accepted -> Response.accepted(new AcceptedEvents(accepted)).build());
    }
}
