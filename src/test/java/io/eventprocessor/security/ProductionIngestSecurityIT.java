package io.eventprocessor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;

/**
 * The packaged jar (production profile) as a security reviewer would try it: it refuses to start without the
 * token verification settings, says so when anonymous writes are allowed on purpose, and with the settings it
 * refuses anonymous writes with the JSON 401, while health, metrics and {@code GET /partitions} answer on the
 * management port only.
 */
class ProductionIngestSecurityIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TOPIC = "security-events";
    private static final String BODY = "{\"type\":\"t\",\"payload\":1}";
    private static final String ANONYMOUS = "PROCESSOR_INGEST_ALLOW_ANONYMOUS";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutVerificationSettingsTheServiceDoesNotStart() throws Exception {
        try (ServiceProcess service =
                ServiceProcess.launch("security-unset", "localhost:9", Map.of(ANONYMOUS, "false"))) {
            assertThat(service.awaitExit(BOUND)).isNotZero();
            assertThat(service.output())
                    .contains("POST /events needs a verified bearer token")
                    .contains("mp.jwt.verify.issuer; mp.jwt.verify.audiences; mp.jwt.verify.publickey.location or "
                            + "mp.jwt.verify.publickey")
                    .contains("processor.ingest.allow-anonymous=true");
        }
    }

    @Test
    void aVerificationKeyThatCannotBeLoadedStopsTheStart() throws Exception {
        String absent =
                Path.of("target", "no-such-key.pem").toAbsolutePath().toUri().toString();
        try (ServiceProcess service = ServiceProcess.launch(
                "security-no-key",
                "localhost:9",
                Map.of(
                        ANONYMOUS,
                        "false",
                        "MP_JWT_VERIFY_ISSUER",
                        "https://issuer.example.test",
                        "MP_JWT_VERIFY_AUDIENCES",
                        "event-processor",
                        "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                        absent))) {
            assertThat(service.awaitExit(BOUND)).isNotZero();
            assertThat(service.output())
                    .contains("The token verification key cannot be read " + "(mp.jwt.verify.publickey.location="
                            + absent + ")");
        }
    }

    @Test
    void anonymousWritesOnPurposeAreLoggedAtWarn() throws Exception {
        try (ServiceProcess service =
                ServiceProcess.start("security-anonymous", bootstrap(), isolated(Map.of(ANONYMOUS, "true")))) {
            assertThat(service.logEntries())
                    .filteredOn(
                            entry -> entry.path("message")
                                    .asText()
                                    .startsWith(
                                            "processor.ingest.allow-anonymous=true: POST /events takes requests without a token"))
                    .singleElement()
                    .satisfies(entry -> assertThat(entry.path("level").asText()).isEqualTo("WARN"));
            assertThat(service.postEvents(BODY, null).statusCode()).isEqualTo(202);
        }
    }

    @Test
    void withVerificationSettingsAnonymousWritesAre401AndOperationsStayOffThePublicPort() throws Exception {
        Map<String, String> settings = Map.of(
                ANONYMOUS,
                "false",
                "MP_JWT_VERIFY_ISSUER",
                "https://issuer.example.test",
                "MP_JWT_VERIFY_AUDIENCES",
                "event-processor",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                Path.of("src/test/resources/jwt/test-verification-key.pem")
                        .toUri()
                        .toString());
        try (ServiceProcess service = ServiceProcess.start("security-jwt", bootstrap(), isolated(settings))) {
            assertThat(service.output())
                    .contains(
                            "POST /events takes bearer JWTs from issuer https://issuer.example.test "
                                    + "for audience event-processor with role events-writer (claim groups), signed by the public key of");
            HttpResponse<String> anonymous = service.postEvents(BODY, null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("\"status\":401").contains("a bearer token is required");
            String unsigned = "eyJhbGciOiJub25lIn0.eyJncm91cHMiOlsiZXZlbnRzLXdyaXRlciJdfQ.";
            HttpResponse<String> forged = service.postEvents(BODY, unsigned);
            assertThat(forged.statusCode()).as("an unsigned token").isEqualTo(401);
            assertThat(service.postEvents(BODY, unsigned).statusCode()).isEqualTo(401);
            Awaitility.await("the refusal logged")
                    .atMost(BOUND)
                    .untilAsserted(() -> assertThat(service.logEntries())
                            .filteredOn(entry -> entry.path("message")
                                    .asText()
                                    .startsWith("Answered 401 to POST /events: bearer " + "token refused"))
                            .as("the first refusal of its cause at WARN, the second within a minute not")
                            .singleElement()
                            .satisfies(entry -> {
                                assertThat(entry.path("level").asText()).isEqualTo("WARN");
                                assertThat(entry.path("message").asText()).doesNotContain(unsigned);
                            }));

            for (String path : new String[] {"/q/health/live", "/q/metrics", "/partitions", "/q/openapi"}) {
                assertThat(status(service.port(), path))
                        .as(path + " on the public port")
                        .isEqualTo(404);
                assertThat(service.status(path))
                        .as(path + " on the management port")
                        .isEqualTo(200);
            }
        }
    }

    @BeforeAll
    static void createTopics() {
        InProcessKafkaResource.companion().topics().create(Map.of(TOPIC, 1, TOPIC + "-processed", 1));
    }

    private static String bootstrap() {
        return InProcessKafkaResource.bootstrapServers();
    }

    private static Map<String, String> isolated(Map<String, String> settings) {
        return IsolatedPipeline.processEnvironment(TOPIC, "security-group", settings);
    }

    private int status(int port, String path) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
