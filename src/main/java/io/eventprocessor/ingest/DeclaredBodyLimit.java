package io.eventprocessor.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a {@code POST /events} whose {@code Content-Length} is over {@code processor.ingest.max-body-bytes}
 * with the API's JSON {@code 413}, before a byte of the body is read. It runs ahead of the HTTP server's own
 * limit ({@code quarkus.http.limits.max-body-size}, which answers an empty {@code 413}); bodies without a
 * declared length are measured while they stream in ({@link BoundedBody}).
 */
@ApplicationScoped
public class DeclaredBodyLimit {

    private final ProcessorConfig config;
    private final ObjectMapper json;

    public DeclaredBodyLimit(ProcessorConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.post(EventResource.PATH)
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(this::check);
    }

    private void check(RoutingContext request) {
        String length = request.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        int limit = config.ingest().maxBodyBytes();
        long declared;
        try {
            declared = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = -1; // Vert.x refuses a malformed Content-Length itself
        }
        if (declared <= limit) {
            request.next();
            return;
        }
        BodyTooLargeException refusal = BodyTooLargeException.declared(declared, limit);
        try {
            BoundedBody.closeAfterAnswer(request.request());
            request.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .end(json.writeValueAsString(ErrorMapper.payloadTooLarge(refusal)));
        } catch (JsonProcessingException e) {
            request.fail(e);
        }
    }
}
