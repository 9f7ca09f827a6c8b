package io.eventprocessor.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.TestTokens;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * {@code POST /events} with production's rule: a bearer JWT signed by the trusted key, from the configured
 * issuer, for the configured audience, unexpired, with the writer role. Tokens are real, signed with a test key.
 * Every refusal is the API's JSON error, and nothing reaches the topic.
 */
@QuarkusTest
@TestProfile(WriterAuthenticationTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class WriterAuthenticationTest {

    static final String TOPIC = "authenticated-events";
    static final String ISSUER = "https://issuer.example.test";
    static final String AUDIENCE = "event-processor";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "authenticated-group",
                    Map.of(
                            "processor.ingest.allow-anonymous",
                            "false",
                            "mp.jwt.verify.issuer",
                            ISSUER,
                            "mp.jwt.verify.audiences",
                            AUDIENCE,
                            "mp.jwt.verify.publickey.location",
                            "jwt/test-verification-key.pem"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @InjectKafkaCompanion
    KafkaCompanion companion;

    private long before;

    @BeforeEach
    void countEvents() {
        before = TopicRecords.endOffsetSum(companion, TOPIC, 1);
    }

    @AfterEach
    void nothingElseWasWritten() {
        // Only the accepted test writes; each refusal must leave the topic as it was.
        assertThat(TopicRecords.endOffsetSum(companion, TOPIC, 1) - before).isLessThanOrEqualTo(1);
    }

    @Test
    void aValidTokenWithTheWriterRoleWrites() {
        String id = "authenticated-" + UUID.randomUUID();
        post(TestTokens.sign(writer()), "{\"id\":\"" + id + "\",\"type\":\"t\",\"payload\":1}")
                .statusCode(202)
                .body("accepted[0].id", equalTo(id));
        assertThat(TopicRecords.endOffsetSum(companion, TOPIC, 1)).isEqualTo(before + 1);
    }

    @Test
    void noTokenIs401() {
        refused(given(), 401, "a bearer token is required").header("WWW-Authenticate", equalTo("Bearer"));
    }

    @Test
    void anExpiredTokenIs401() {
        Instant issued = Instant.now().minusSeconds(3600);
        refusedToken(TestTokens.sign(writer().issuedAt(issued).expiresAt(issued.plusSeconds(600))));
    }

    @Test
    void aTokenFromAnotherIssuerIs401() {
        refusedToken(TestTokens.sign(writer().issuer("https://someone-else.example.test")));
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        refusedToken(TestTokens.sign(writer().audience("another-service")));
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        refusedToken(writer().sign(generator.generateKeyPair().getPrivate()));
    }

    @Test
    void aValidTokenWithoutTheWriterRoleIs403() {
        refused(
                given().auth().oauth2(TestTokens.sign(writer().groups(Set.of("events-reader")))),
                403,
                "does not grant the role");
    }

    @Test
    void aMalformedTokenIs401() {
        refusedToken("not-a-jwt");
    }

    private static JwtClaimsBuilder writer() {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject("test-client")
                .groups(Set.of("events-writer"))
                .expiresIn(300);
    }

    private static ValidatableResponse post(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then();
    }

    private static void refusedToken(String token) {
        refused(given().auth().oauth2(token), 401, "the bearer token is not valid")
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    private static ValidatableResponse refused(
            io.restassured.specification.RequestSpecification request, int status, String message) {
        return request.contentType(ContentType.JSON)
                .body("{\"type\":\"t\",\"payload\":1}")
                .when()
                .post("/events")
                .then()
                .statusCode(status)
                .contentType(ContentType.JSON)
                .body("status", equalTo(status))
                .body("message", containsString(message));
    }
}
