package io.eventprocessor.ingest;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Alternative;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.Config;

import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.spi.runtime.AuthorizationController;

/**
 * Who may post events. {@link EventResource#publish} allows the role {@code processor.ingest.writer-role}
 * ({@code @RolesAllowed}), checked by Quarkus against a bearer JWT verified by smallrye-jwt. With
 * {@code processor.ingest.allow-anonymous=true} this controller switches Quarkus' authorization off, so anyone
 * who reaches the API port may write (logged at WARN). Without it, the service refuses to start unless the
 * token verification settings are there: a deployment that forgot them must not fall back to anonymous writes,
 * nor start and refuse every request.
 */
@Alternative
@Priority(Interceptor.Priority.LIBRARY_AFTER)
@ApplicationScoped
public class WriterAuthorization extends AuthorizationController {

    /** What smallrye-jwt needs to verify a token: who issues it, for whom, and with which key. */
    static final List<List<String>> VERIFICATION_SETTINGS = List.of(
            List.of("mp.jwt.verify.issuer"),
            List.of("mp.jwt.verify.audiences"),
            List.of("mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey"));

    private final ProcessorConfig config;
    private final Config settings;

    public WriterAuthorization(ProcessorConfig config, Config settings) {
        this.config = config;
        this.settings = settings;
    }

    @Override
    public boolean isAuthorizationEnabled() {
        return !config.ingest().allowAnonymous();
    }

    void checkAtStartup(@Observes StartupEvent startup) {
        if (config.ingest().allowAnonymous()) {
            Log.warn("processor.ingest.allow-anonymous=true: POST /events takes requests without a token; anyone who "
                    + "reaches the API port can write events with any id");
            return;
        }
        List<String> missing = missingVerificationSettings(settings);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "POST /events needs a verified bearer token, but these settings are missing: "
                            + String.join("; ", missing) + ". Set them (see docs/operations.md, Security), or set "
                            + "processor.ingest.allow-anonymous=true to let anyone write");
        }
        String keys = VerificationKeys.load(settings);
        Log.infof(
                "POST /events takes bearer JWTs from issuer %s for audience %s with role %s (claim %s), signed by %s",
                settings.getValue("mp.jwt.verify.issuer", String.class),
                settings.getValue("mp.jwt.verify.audiences", String.class),
                config.ingest().writerRole(),
                settings.getOptionalValue("smallrye.jwt.path.groups", String.class)
                        .orElse("groups"),
                keys);
    }

    /** Each group of settings none of which is set, e.g. {@code mp.jwt.verify.publickey.location or mp.jwt.verify.publickey}. */
    static List<String> missingVerificationSettings(Config settings) {
        return VERIFICATION_SETTINGS.stream()
                .filter(group -> group.stream()
                        .allMatch(name ->
                                settings.getOptionalValue(name, String.class).isEmpty()))
                .map(group -> String.join(" or ", group))
                .toList();
    }
}
