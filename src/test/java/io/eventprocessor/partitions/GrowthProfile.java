package io.eventprocessor.partitions;

import java.util.Map;

import io.eventprocessor.support.IsolatedPipeline;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Test profile for one growth scenario: its own topics and group, {@code auto.offset.reset=latest},
 * and the given protocol and assignor; ownership checked every 300 ms.
 */
public abstract class GrowthProfile implements QuarkusTestProfile {

    private final String name;
    private final String protocol;
    private final String assignor;

    GrowthProfile(String name, String protocol, String assignor) {
        this.name = name;
        this.protocol = protocol;
        this.assignor = assignor;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return IsolatedPipeline.config(
                "growth-" + name,
                "growth-" + name,
                Map.of(
                        "mp.messaging.incoming.events-in.auto.offset.reset", "latest",
                        "processor.partitions.group-protocol", protocol,
                        "processor.partitions.assignor", assignor));
    }

    public static final class ConsumerUniform extends GrowthProfile {
        public ConsumerUniform() {
            super("consumer-uniform", "consumer", "uniform");
        }
    }

    public static final class ConsumerRange extends GrowthProfile {
        public ConsumerRange() {
            super("consumer-range", "consumer", "range");
        }
    }

    public static final class ClassicRange extends GrowthProfile {
        public ClassicRange() {
            super("classic-range", "classic", "range");
        }
    }

    public static final class ClassicRoundRobin extends GrowthProfile {
        public ClassicRoundRobin() {
            super("classic-roundrobin", "classic", "roundrobin");
        }
    }

    public static final class ClassicSticky extends GrowthProfile {
        public ClassicSticky() {
            super("classic-sticky", "classic", "sticky");
        }
    }

    public static final class ClassicCooperativeSticky extends GrowthProfile {
        public ClassicCooperativeSticky() {
            super("classic-cooperative-sticky", "classic", "cooperative-sticky");
        }
    }
}
