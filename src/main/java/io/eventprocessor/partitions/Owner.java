package io.eventprocessor.partitions;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A group member that owns partitions.
 *
 * @param memberId member id
 * @param clientId Kafka client id
 * @param host host the member connects from
 */
@RegisterForReflection
public record Owner(String memberId, String clientId, String host) {}
