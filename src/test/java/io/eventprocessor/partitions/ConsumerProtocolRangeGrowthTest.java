package io.eventprocessor.partitions;

import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The growth scenario with the consumer group protocol (KIP-848) and its server-side range assignor. */
@QuarkusTest
@TestProfile(GrowthProfile.ConsumerRange.class)
@WithTestResource(InProcessKafkaResource.class)
class ConsumerProtocolRangeGrowthTest extends PartitionGrowthTestBase {}
