package io.eventprocessor.ingest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.InvalidEventsException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/** Turns every failure of the REST API into a status and an {@link ApiError} JSON body. */
public class ErrorMapper {

    private final RefusedTokenLog refusals;
    private final CurrentIdentityAssociation identity;
    private final String writerRole;
    private final String rolesClaim;

    public ErrorMapper(
            RefusedTokenLog refusals,
            CurrentIdentityAssociation identity,
            ProcessorConfig config,
            @ConfigProperty(name = "smallrye.jwt.path.groups", defaultValue = "groups") String rolesClaim) {
        this.refusals = refusals;
        this.identity = identity;
        this.writerRole = config.ingest().writerRole();
        this.rolesClaim = rolesClaim;
    }

    /** Seconds a client should wait before retrying after a {@code 503}. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final String CONNECTION = "Connection";
    private static final String CLOSE = "close";

    @ServerExceptionMapper
    public Response invalidRequest(InvalidEventsException e) {
        return json(new ApiError(400, "Bad Request", e.getMessage(), e.problems(), List.of()));
    }

    /** The rest of an oversized body is never read, so the connection closes after the answer. */
    @ServerExceptionMapper
    public Response bodyTooLarge(BodyTooLargeException e) {
        return Response.fromResponse(json(payloadTooLarge(e)))
                .header(CONNECTION, CLOSE)
                .build();
    }

    static ApiError payloadTooLarge(BodyTooLargeException e) {
        return ApiError.of(413, "Payload Too Large", e.getMessage());
    }

    @ServerExceptionMapper
    public Response eventRefused(EventRefusedException e) {
        String error = e.status() == 413 ? "Payload Too Large" : "Bad Request";
        return json(new ApiError(e.status(), error, e.getMessage(), List.of(), e.accepted()));
    }

    @ServerExceptionMapper
    public Response publishFailed(PublishFailedException e) {
        Log.warnf("Answering 503: %s", e.getMessage());
        return retryLater(new ApiError(
                        503,
                        "Service Unavailable",
                        e.getMessage() + "; events not listed as accepted were not confirmed: retry them",
                        List.of(),
                        e.accepted()))
                .build();
    }

    /** The body was read to its end (nothing kept), so the connection stays usable. */
    @ServerExceptionMapper
    public Response ingestBusy(IngestBusyException e) {
        return retryLater(ApiError.of(503, "Service Unavailable", e.getMessage()))
                .build();
    }

    /** The rest of a body that stopped arriving is never read, so the connection closes after the answer. */
    @ServerExceptionMapper
    public Response bodyTimedOut(BodyTimeoutException e) {
        return Response.fromResponse(json(ApiError.of(408, "Request Timeout", e.getMessage())))
                .header(CONNECTION, CLOSE)
                .build();
    }

    /** The client must not keep this connection for its retry: the server will be gone. */
    @ServerExceptionMapper
    public Response shuttingDown(ShuttingDownException e) {
        return retryLater(ApiError.of(503, "Service Unavailable", e.getMessage()))
                .header(CONNECTION, CLOSE)
                .build();
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e) {
        return Response.fromResponse(json(ApiError.of(401, "Unauthorized", "a bearer token is required")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    /** Why the token was refused goes to the log ({@link RefusedTokenLog}), not to the caller. */
    @ServerExceptionMapper
    public Response tokenRefused(AuthenticationFailedException e) {
        TokenRefusal refusal = TokenRefusal.of(e);
        refusals.refused(refusal.cause(), "Answered 401 to POST /events: bearer token refused: " + refusal.reason());
        return Response.fromResponse(json(ApiError.of(
                        401,
                        "Unauthorized",
                        "the bearer token is not valid: it is "
                                + "expired, not signed by the trusted key, or issued by or for someone else")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build();
    }

    @ServerExceptionMapper
    public Response wrongRole(ForbiddenException e) {
        SecurityIdentity caller = identity.getIdentity();
        String subject = caller == null || caller.isAnonymous()
                ? "anonymous"
                : caller.getPrincipal().getName();
        refusals.refused(
                "role",
                "Answered 403 to POST /events: the token of " + subject + " grants the roles "
                        + (caller == null ? "[]" : caller.getRoles()) + ", not " + writerRole
                        + " (processor.ingest.writer-role); "
                        + "roles are read from claim " + rolesClaim + " (smallrye.jwt.path.groups)");
        return json(ApiError.of(403, "Forbidden", "the bearer token does not grant the role that may write events"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return json(ApiError.of(status.getStatusCode(), status.getReasonPhrase(), e.getMessage()));
    }

    /** A {@code 503} the client should retry after {@link #RETRY_AFTER_SECONDS}. */
    private static Response.ResponseBuilder retryLater(ApiError error) {
        return Response.fromResponse(json(error)).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
    }

    private static Response json(ApiError error) {
        return Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error)
                .build();
    }
}
