package io.eventprocessor;

import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.Management;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The public API is described at {@code /q/openapi} on the management interface, with every answer
 * {@code POST /events} can give; the management interface's own {@code GET /partitions} is not part of it.
 */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class OpenApiTest {

    @Test
    void apiIsDescribed() {
        Management.given()
                .queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("paths.'/events'.post.responses", hasKey("202"))
                .body("paths.'/events'.post.responses", hasKey("400"))
                .body("paths.'/events'.post.responses", hasKey("413"))
                .body("paths.'/events'.post.responses", hasKey("415"))
                .body("paths.'/events'.post.responses", hasKey("503"))
                .body("paths.'/events'.post.requestBody", notNullValue())
                .body("paths", not(hasKey("/partitions")));
    }
}
