package io.eventprocessor.processing;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same dead-letter tests, against the packaged application. */
@QuarkusIntegrationTest
class DeadLetterIT extends DeadLetterTest {
}
