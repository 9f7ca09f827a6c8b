package io.eventprocessor.ingest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.eventprocessor.config.ProcessorConfig;

/**
 * Rejects a body whose declared {@code Content-Length} is over the limit before it is read. Bodies
 * without a length (chunked) are measured by {@link EventResource} once read.
 */
public class BodySizeLimitFilter {

    private final ProcessorConfig config;

    public BodySizeLimitFilter(ProcessorConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public void rejectDeclaredOversizedBody(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        try {
            long declared = Long.parseLong(length.trim());
            if (declared > config.ingest().maxBodyBytes()) {
                throw new BodyTooLargeException(declared, config.ingest().maxBodyBytes());
            }
        } catch (NumberFormatException e) {
            // Vert.x rejects a malformed Content-Length itself
        }
    }
}
