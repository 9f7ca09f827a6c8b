package io.eventprocessor.partitions;

import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The growth scenario with the classic protocol and the sticky assignor. */
@QuarkusTest
@TestProfile(GrowthProfile.ClassicSticky.class)
@WithTestResource(InProcessKafkaResource.class)
class ClassicStickyGrowthTest extends PartitionGrowthTestBase {}
