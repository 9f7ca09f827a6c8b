package io.eventprocessor.partitions;

import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The growth scenario with the classic protocol and the cooperative-sticky assignor. */
@QuarkusTest
@TestProfile(GrowthProfile.ClassicCooperativeSticky.class)
@WithTestResource(InProcessKafkaResource.class)
class ClassicCooperativeStickyGrowthTest extends PartitionGrowthTestBase {}
