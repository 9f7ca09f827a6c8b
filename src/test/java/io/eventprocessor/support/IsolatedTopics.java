package io.eventprocessor.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource for a profile's own topics: creates, before the application starts, every topic named in
 * its arguments with the partition count given as the value ({@code TestResourceEntry(IsolatedTopics.class,
 * Map.of("my-topic", "2"))}). Topics that need settings create them in a resource of their own.
 */
public class IsolatedTopics implements QuarkusTestResourceLifecycleManager {

    private final Map<String, Integer> partitionsByTopic = new HashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        initArgs.forEach((topic, partitions) -> partitionsByTopic.put(topic, Integer.parseInt(partitions)));
    }

    @Override
    public Map<String, String> start() {
        InProcessKafkaResource.companion().topics().create(partitionsByTopic);
        return Map.of();
    }

    @Override
    public void stop() {
        // the topics go with the test broker
    }
}
