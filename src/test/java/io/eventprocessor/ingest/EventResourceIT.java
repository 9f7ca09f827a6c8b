package io.eventprocessor.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same REST → Kafka → processor tests, against the packaged application. */
@QuarkusIntegrationTest
class EventResourceIT extends EventResourceTest {
}
