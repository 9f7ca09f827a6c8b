package io.eventprocessor.processing;

import io.eventprocessor.support.AnonymousWritesResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same dead-letter tests, against the packaged application. */
@QuarkusIntegrationTest
@WithTestResource(AnonymousWritesResource.class)
class DeadLetterIT extends DeadLetterTest {}
