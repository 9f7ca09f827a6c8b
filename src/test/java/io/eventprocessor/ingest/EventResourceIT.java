package io.eventprocessor.ingest;

import io.eventprocessor.support.AnonymousWritesResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same REST → Kafka → processor tests, against the packaged application. */
@QuarkusIntegrationTest
@WithTestResource(AnonymousWritesResource.class)
class EventResourceIT extends EventResourceTest {}
