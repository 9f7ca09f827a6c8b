package io.eventprocessor.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For {@code @QuarkusIntegrationTest}s, which run the packaged application in its production profile: lets them
 * post events without a token ({@code processor.ingest.allow-anonymous=true}), as {@link ServiceProcess} does.
 * The token rules have their own tests (WriterAuthenticationTest, ProductionIngestSecurityIT).
 */
public class AnonymousWritesResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("processor.ingest.allow-anonymous", "true");
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
