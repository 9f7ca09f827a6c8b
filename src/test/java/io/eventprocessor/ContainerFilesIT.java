package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * No Docker engine runs here, so the container files are checked statically after {@code package}:
 * every path they copy or name exists, the compose broker is KRaft, and the configuration points at them.
 */
class ContainerFilesIT {

    private static final Pattern COPY = Pattern.compile("^COPY\\s+(?:--\\S+\\s+)*(.+)\\s+\\S+$", Pattern.MULTILINE);

    @Test
    void jvmDockerfileCopiesWhatPackageBuilt() throws IOException {
        List<String> sources = copySources(Path.of("docker", "Dockerfile.jvm"));

        assertThat(sources).isNotEmpty();
        for (String source : sources) {
            String path = source.replace("*.jar", "quarkus-run.jar");
            assertThat(Path.of(path)).as("COPY source of Dockerfile.jvm").exists();
        }
    }

    @Test
    void nativeDockerfileBuildsFromThisRepository() throws IOException {
        String dockerfile = Files.readString(Path.of("docker", "Dockerfile.native"));

        assertThat(dockerfile).contains("mandrel-builder-image").contains("-Dnative");
        for (String source : copySources(Path.of("docker", "Dockerfile.native"))) {
            if (!source.startsWith("/code/")) {
                for (String part : source.split("\\s+")) {
                    assertThat(Path.of(part)).as("COPY source of Dockerfile.native").exists();
                }
            }
        }
    }

    @Test
    void composeRunsAKraftBrokerAndTheService() throws IOException {
        JsonNode services = new YAMLMapper().readTree(Path.of("docker", "compose.yaml").toFile()).path("services");

        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
        JsonNode build = services.path("event-processor").path("build");
        assertThat(Path.of("docker").resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()))
                .exists();
        assertThat(services.path("event-processor").path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText())
                .isEqualTo("kafka:9092");
    }

    @Test
    void configurationPointsAtTheDockerfiles() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        assertThat(Path.of(properties.getProperty("quarkus.docker.dockerfile-jvm-path"))).exists();
        assertThat(Path.of(properties.getProperty("quarkus.docker.dockerfile-native-path"))).exists();
    }

    private static List<String> copySources(Path dockerfile) throws IOException {
        Matcher matcher = COPY.matcher(Files.readString(dockerfile));
        return matcher.results().map(result -> result.group(1).trim())
                .filter(source -> !source.startsWith("--from")).toList();
    }
}
