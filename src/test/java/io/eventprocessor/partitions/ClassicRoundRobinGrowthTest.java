package io.eventprocessor.partitions;

import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The growth scenario with the classic protocol and the round-robin assignor. */
@QuarkusTest
@TestProfile(GrowthProfile.ClassicRoundRobin.class)
@WithTestResource(InProcessKafkaResource.class)
class ClassicRoundRobinGrowthTest extends PartitionGrowthTestBase {}
