package io.eventprocessor.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.IsolatedTopics;
import io.eventprocessor.support.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * A Keycloak access token, as a realm issues it: realm roles under {@code realm_access.roles}, no {@code groups}
 * claim, and {@code aud} holding {@code account} unless an audience mapper adds the service. With the README's
 * Keycloak settings ({@code smallrye.jwt.path.groups=realm_access/roles}), a token with the writer role and the
 * service's audience writes; one without the audience mapper is 401, one without the role 403.
 */
@QuarkusTest
@TestProfile(KeycloakTokenTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class KeycloakTokenTest {

    static final String TOPIC = "keycloak-events";
    static final String ISSUER = "https://keycloak.example.test/realms/events";
    static final String AUDIENCE = "event-processor";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return IsolatedPipeline.config(
                    TOPIC,
                    "keycloak-group",
                    Map.of(
                            "processor.ingest.allow-anonymous", "false",
                            "mp.jwt.verify.issuer", ISSUER,
                            "mp.jwt.verify.audiences", AUDIENCE,
                            "mp.jwt.verify.publickey.location", "jwt/test-verification-key.pem",
                            "smallrye.jwt.path.groups", "realm_access/roles"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(IsolatedTopics.class, Map.of(TOPIC, "1", TOPIC + "-processed", "1")));
        }
    }

    @Test
    void aRealmRoleWithTheAudienceMapperWrites() {
        post(TestTokens.sign(keycloak(
                        List.of(AUDIENCE, "account"), List.of("events-writer", "offline_access", "uma_authorization"))))
                .statusCode(202);
    }

    @Test
    void withoutTheAudienceMapperTheTokenIs401() {
        post(TestTokens.sign(keycloak(List.of("account"), List.of("events-writer"))))
                .statusCode(401)
                .body("message", containsString("the bearer token is not valid"));
    }

    @Test
    void withoutTheRealmRoleTheTokenIs403() {
        post(TestTokens.sign(keycloak(List.of(AUDIENCE, "account"), List.of("offline_access"))))
                .statusCode(403);
    }

    /** The claims of a Keycloak access token for a service account of client {@code orders}. */
    private static JwtClaimsBuilder keycloak(List<String> audiences, List<String> realmRoles) {
        return Jwt.issuer(ISSUER)
                .audience(Set.copyOf(audiences))
                .subject("8f3c2b1e-service-account")
                .claim("typ", "Bearer")
                .claim("azp", "orders")
                .claim("preferred_username", "service-account-orders")
                .claim("realm_access", Map.of("roles", realmRoles))
                .claim("resource_access", Map.of("account", Map.of("roles", List.of("manage-account"))))
                .claim("scope", "profile email")
                .expiresIn(300);
    }

    private static ValidatableResponse post(String token) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"type\":\"t\",\"payload\":1}")
                .when()
                .post("/events")
                .then();
    }
}
