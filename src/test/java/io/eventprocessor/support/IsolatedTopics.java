package io.eventprocessor.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Test resource for a profile's own topics: creates, before the application starts, every topic named in
 * its arguments, the value giving its partition count and, after it, topic settings
 * ({@code TestResourceEntry(IsolatedTopics.class, Map.of("my-topic", "2", "my-dlq", "1;cleanup.policy=compact"))}).
 * Replication factor 1, the test broker's.
 */
public class IsolatedTopics implements QuarkusTestResourceLifecycleManager {

    private final List<NewTopic> topics = new ArrayList<>();

    @Override
    public void init(Map<String, String> initArgs) {
        initArgs.forEach((topic, spec) -> {
            String[] parts = spec.split(";");
            Map<String, String> settings = new HashMap<>();
            Arrays.stream(parts)
                    .skip(1)
                    .map(setting -> setting.split("=", 2))
                    .forEach(setting -> settings.put(setting[0].trim(), setting[1].trim()));
            topics.add(new NewTopic(topic, Integer.parseInt(parts[0].trim()), (short) 1).configs(settings));
        });
    }

    @Override
    public Map<String, String> start() {
        InProcessKafkaResource.companion().topics().create(topics);
        return Map.of();
    }

    @Override
    public void stop() {
        // the topics go with the test broker
    }
}
