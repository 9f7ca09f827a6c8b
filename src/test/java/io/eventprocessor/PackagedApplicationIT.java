package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The packaged application carries no Kafka broker: {@code kafka_2.13} is a {@code provided} dependency. */
class PackagedApplicationIT {

    private static final Path LIBRARIES = Path.of("target", "quarkus-app", "lib");

    @Test
    void packagedApplicationHoldsNoBrokerJars() throws IOException {
        assertThat(LIBRARIES).isDirectory();
        List<String> jars;
        try (Stream<Path> files = Files.walk(LIBRARIES)) {
            jars = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .toList();
        }
        assertThat(jars).anyMatch(name -> name.startsWith("org.apache.kafka.kafka-clients-"));
        assertThat(jars)
                .noneMatch(name -> name.contains("kafka_2.13")
                        || name.contains("kafka-server")
                        || name.contains("kafka-metadata")
                        || name.contains("kafka-raft")
                        || name.contains("scala-library"));
    }
}
