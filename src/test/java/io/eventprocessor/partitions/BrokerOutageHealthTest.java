package io.eventprocessor.partitions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.devkafka.InProcessKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A broker that cannot be reached turns readiness DOWN and leaves liveness UP (restarting pods does not
 * fix a broker outage); readiness comes back once the broker does. Uses a broker of its own, stopped
 * and started again on the same port and data.
 */
@QuarkusTest
@TestProfile(BrokerOutageHealthTest.Profile.class)
@WithTestResource(BrokerOutageHealthTest.OwnBroker.class)
class BrokerOutageHealthTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "processor.partitions.check-interval", "300ms",
                    "processor.partitions.check-timeout", "1s",
                    "processor.partitions.unowned-grace-period", "1s");
        }
    }

    /** A broker for this test alone, so stopping it disturbs no other test. */
    public static class OwnBroker implements QuarkusTestResourceLifecycleManager {

        static Path dataDir;
        static InProcessKafkaBroker broker;

        @Override
        public Map<String, String> start() {
            try {
                dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "outage-kafka-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            broker = InProcessKafkaBroker.create(0, dataDir, Map.of()).start();
            broker.ensureTopics(Map.of("events", 2, "events-processed", 1, "events-dlq", 1));
            return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
        }

        @Override
        public void stop() {
            broker.close();
        }

        static void restart() {
            int port = broker.port();
            broker.close();
            broker = InProcessKafkaBroker.create(port, dataDir, Map.of()).start();
        }
    }

    @Test
    void readinessFollowsTheBrokerAndLivenessStaysUp() {
        awaitReadiness(200, true);

        OwnBroker.broker.close();
        awaitReadiness(503, false);
        given().get("/q/health/live").then()
                .body("checks.find { it.name == 'partition-ownership' }.status", equalTo("UP"));

        OwnBroker.restart();
        awaitReadiness(200, true);
        Awaitility.await("liveness UP").atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/live").then()
                .statusCode(200));
    }

    private static void awaitReadiness(int status, boolean brokerReachable) {
        Awaitility.await("readiness " + status).atMost(TIMEOUT).untilAsserted(() -> given()
                .get("/q/health/ready").then().statusCode(status)
                .body("checks.find { it.name == 'kafka-group-membership' }.data.brokerReachable", equalTo(brokerReachable)));
    }
}
