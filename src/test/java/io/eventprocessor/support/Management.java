package io.eventprocessor.support;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface of the application under {@code @QuarkusTest}: health, metrics and
 * {@code GET /partitions} are served there (port {@code quarkus.management.test-port}, 9001 in tests), not on
 * the API's port.
 */
public final class Management {

    private Management() {}

    public static RequestSpecification given() {
        return RestAssured.given().port(port());
    }

    public static int port() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
    }
}
