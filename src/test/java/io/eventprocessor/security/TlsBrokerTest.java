package io.eventprocessor.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.Management;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The whole service (producer, consumer, dead-letter producer, ownership monitor) over a TLS listener. */
@QuarkusTest
@WithTestResource(TlsBrokerResource.class)
class TlsBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void eventsFlowAndHealthIsUpOverTls() {
        Awaitility.await()
                .atMost(TIMEOUT)
                .untilAsserted(() -> Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body(
                                "checks.find { it.name == 'kafka-group-membership' }.data.brokerReachable",
                                equalTo(true)));
        String id = "tls-" + UUID.randomUUID();

        given().contentType(ContentType.JSON)
                .body("{\"id\":\"" + id + "\",\"type\":\"secure\",\"payload\":{}}")
                .post("/events")
                .then()
                .statusCode(202);

        try (KafkaCompanion companion = TlsBrokerResource.plaintextCompanion()) {
            assertThat(TopicRecords.awaitIds(companion, "events-processed", Set.of(id), TIMEOUT))
                    .hasSize(1);
        }
        Management.given().get("/q/health/live").then().statusCode(200);
    }
}
