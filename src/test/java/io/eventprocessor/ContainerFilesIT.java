package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
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
                    assertThat(Path.of(part))
                            .as("COPY source of Dockerfile.native")
                            .exists();
                }
            }
        }
    }

    @Test
    void theNativeBuildFetchesDependenciesInALayerBeforeTheSources() throws IOException {
        String dockerfile = Files.readString(Path.of("docker", "Dockerfile.native"));

        int offline = dockerfile.indexOf("RUN ./mvnw -B quarkus:go-offline");
        int sources = dockerfile.indexOf("COPY --chown=quarkus:quarkus src ");
        assertThat(offline).as("go-offline step").isPositive();
        assertThat(sources).as("sources copied after the dependencies").isGreaterThan(offline);
        assertThat(dockerfile.substring(sources)).contains("./mvnw -B -o package -Dnative");
    }

    /**
     * Each Dockerfile's own ignore file ({@code Dockerfile.x.dockerignore}, read by BuildKit) excludes everything but
     * what that Dockerfile copies ({@code *} then {@code !path}).
     */
    @Test
    void eachBuildContextHoldsWhatItsDockerfileCopiesAndNeitherGitNorTheBuildOutput() throws IOException {
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            List<String> lines = Files.readAllLines(Path.of("docker", dockerfile + ".dockerignore")).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
            assertThat(lines.get(0)).isEqualTo("*");
            List<String> included = lines.stream()
                    .filter(line -> line.startsWith("!"))
                    .map(line -> line.substring(1).replaceAll("/$", ""))
                    .toList();
            Predicate<String> inContext =
                    path -> included.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + "/"));
            for (String source : copySources(Path.of("docker", dockerfile))) {
                if (!source.startsWith("/code/")) {
                    for (String part : source.split("\\s+")) {
                        assertThat(inContext.test(part.replaceAll("/$", "")))
                                .as(part + " in the context of " + dockerfile)
                                .isTrue();
                    }
                }
            }
            for (String left : List.of(".git", "target/surefire-reports", "target/dev-kafka", "target/kubernetes")) {
                assertThat(inContext.test(left))
                        .as(left + " out of the context of " + dockerfile)
                        .isFalse();
            }
        }
    }

    @Test
    void theTopicJobFailsWhenATopicCannotBeCreated() throws IOException {
        JsonNode topics = new YAMLMapper()
                .readTree(Path.of("docker", "compose.yaml").toFile())
                .path("services")
                .path("topics");

        assertThat(topics.path("command").get(0).asText().strip()).startsWith("set -e\n");
        assertThat(new YAMLMapper()
                        .readTree(Path.of("docker", "compose.yaml").toFile())
                        .path("services")
                        .path("event-processor")
                        .path("depends_on")
                        .path("topics")
                        .path("condition")
                        .asText())
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void composeRunsAKraftBrokerAndTheService() throws IOException {
        JsonNode services = new YAMLMapper()
                .readTree(Path.of("docker", "compose.yaml").toFile())
                .path("services");

        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.has("KAFKA_ZOOKEEPER_CONNECT")).isFalse();
        JsonNode build = services.path("event-processor").path("build");
        assertThat(Path.of("docker")
                        .resolve(build.path("context").asText())
                        .resolve(build.path("dockerfile").asText()))
                .exists();
        assertThat(services.path("event-processor")
                        .path("environment")
                        .path("KAFKA_BOOTSTRAP_SERVERS")
                        .asText())
                .isEqualTo("kafka:9092");
    }

    @Test
    void configurationPointsAtTheDockerfiles() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        assertThat(Path.of(properties.getProperty("quarkus.docker.dockerfile-jvm-path")))
                .exists();
        assertThat(Path.of(properties.getProperty("quarkus.docker.dockerfile-native-path")))
                .exists();
    }

    private static List<String> copySources(Path dockerfile) throws IOException {
        Matcher matcher = COPY.matcher(Files.readString(dockerfile));
        return matcher.results()
                .map(result -> result.group(1).trim())
                .filter(source -> !source.startsWith("--from"))
                .toList();
    }
}
