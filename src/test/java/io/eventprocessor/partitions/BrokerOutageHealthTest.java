package io.eventprocessor.partitions;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.Management;
import io.eventprocessor.support.RestartableBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A broker that cannot be reached leaves the replica ready (a shared dependency must not empty the
 * Service: requests get 503 + Retry-After instead) and live (restarting pods does not fix a broker
 * outage); the data says the broker is unreachable and the ownership unknown, until it is back.
 */
@QuarkusTest
@TestProfile(BrokerOutageHealthTest.Profile.class)
@WithTestResource(RestartableBrokerResource.class)
class BrokerOutageHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(IsolatedPipeline.FAST_OWNERSHIP_CHECKS);
            config.put("processor.partitions.unowned-grace-period", "1s");
            return config;
        }
    }

    @Test
    void aBrokerOutageKeepsTheReplicaReadyAndLive() {
        awaitReadiness(200, true);

        RestartableBrokerResource.stopBroker();
        awaitReadiness(200, false);
        // One failed refresh changes nothing; data older than the stated bound is unknown.
        Awaitility.await("ownership unknown")
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body(
                                "checks.find { it.name == 'kafka-group-membership' }.data.ownershipData",
                                startsWith("unknown")));
        Management.given()
                .get("/q/health/live")
                .then()
                .body("checks.find { it.name == 'partition-ownership' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'partition-ownership' }.data.note", startsWith("ownership unknown"));

        RestartableBrokerResource.startBroker();
        awaitReadiness(200, true);
        Awaitility.await("liveness UP")
                .atMost(TIMEOUT)
                .untilAsserted(
                        () -> Management.given().get("/q/health/live").then().statusCode(200));
    }

    private static void awaitReadiness(int status, boolean brokerReachable) {
        Awaitility.await("readiness " + status)
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(status)
                        .body(
                                "checks.find { it.name == 'kafka-group-membership' }.data.brokerReachable",
                                equalTo(brokerReachable)));
    }
}
