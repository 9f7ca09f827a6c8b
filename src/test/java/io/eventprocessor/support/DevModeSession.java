package io.eventprocessor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The README's first command, {@code ./mvnw quarkus:dev}, run as a developer runs it, in a copy of the project
 * that holds what a clean checkout holds for it (the build files and {@code src/main}; no {@code target}), with
 * its output in {@code target/<name>.log}. Ports are free ones instead of 8080, 9000 and 9092 (a developer's own
 * dev mode may hold those) and the debugger port is off, nothing else is added.
 */
public final class DevModeSession implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> CHECKOUT = List.of("pom.xml", "mvnw", ".mvn", "src/main");

    private final Path project;
    private final Path log;
    private final int port;
    private final String bootstrapServers;
    private final Process process;
    private final long launchedAt;
    private final HttpClient http = HttpClient.newHttpClient();

    private DevModeSession(
            Path project, Path log, int port, String bootstrapServers, Process process, long launchedAt) {
        this.project = project;
        this.log = log;
        this.port = port;
        this.bootstrapServers = bootstrapServers;
        this.process = process;
        this.launchedAt = launchedAt;
    }

    /** Copies the project to {@code target/<name>} and starts dev mode there; returns at once. */
    public static DevModeSession launch(String name) throws IOException {
        Path project = Path.of("target", name).toAbsolutePath();
        deleteRecursively(project);
        for (String entry : CHECKOUT) {
            copyRecursively(Path.of(entry), project.resolve(entry));
        }
        int port = ServiceProcess.freePort();
        int brokerPort = ServiceProcess.freePort();
        // quarkus.analytics.disabled: no build-analytics question, which a fresh user answers once and which
        // otherwise holds every start for 10 s waiting for an answer that never comes.
        List<String> command = new ArrayList<>(List.of(
                "./mvnw",
                "-B",
                "quarkus:dev",
                "-Ddebug=false",
                "-Dquarkus.analytics.disabled=true",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + ServiceProcess.freePort(),
                "-Dkafka.bootstrap.servers=localhost:" + brokerPort));
        // The build's own local repository (failsafe passes it), so that nothing is downloaded twice.
        Optional.ofNullable(System.getProperty("maven.repo.local"))
                .filter(repo -> !repo.isBlank())
                .ifPresent(repo -> command.add("-Dmaven.repo.local=" + repo));
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long launchedAt = System.nanoTime();
        return new DevModeSession(project, log, port, "localhost:" + brokerPort, builder.start(), launchedAt);
    }

    /** When {@link #launch} started the command ({@link System#nanoTime()}). */
    public long launchedAt() {
        return launchedAt;
    }

    /** The in-process broker dev mode started. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** {@code POST /events} with this body; the response, or empty while nothing answers on the API port. */
    public Optional<HttpResponse<String>> post(String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Posts the event until dev mode takes it (2xx), for at most the timeout. */
    public void postUntilAccepted(String json, Duration timeout) {
        Awaitility.await("dev mode takes " + json + " (log: " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .failFast("dev mode ended", () -> !process.isAlive())
                .until(() -> post(json)
                        .map(response -> response.statusCode() / 100 == 2)
                        .orElse(false));
    }

    /** The records on {@code topic} whose JSON value has this {@code id}, read from the beginning. */
    public List<JsonNode> records(String topic, String id) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<JsonNode> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode value = json(record.value());
                    if (id.equals(value.path("id").asText(null))) {
                        found.add(value);
                    }
                }
            }
        }
        return found;
    }

    /** Waits until {@code events-processed} holds the processed form of the event and returns it. */
    public JsonNode awaitProcessed(String id, Duration timeout) {
        return Awaitility.await(id + " processed (log: " + log + ")")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .failFast("dev mode ended", () -> !process.isAlive())
                .until(() -> records("events-processed", id), found -> !found.isEmpty())
                .get(0);
    }

    /** Replaces text in a file of the copy, as an editor saves it. */
    public void edit(String file, String text, String replacement) throws IOException {
        Path source = project.resolve(file);
        String content = Files.readString(source);
        if (!content.contains(text)) {
            throw new IllegalStateException(file + " does not contain " + text);
        }
        Files.writeString(source, content.replace(text, replacement));
    }

    /** The lines dev mode has written so far. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many lines so far contain the text. */
    public long logLinesContaining(String text) {
        return logLines().stream().filter(line -> line.contains(text)).count();
    }

    /** Waits until the log holds {@code count} lines containing the text. */
    public void awaitLogLines(String text, long count, Duration timeout) {
        Awaitility.await(count + " log line(s) with \"" + text + "\" in " + log)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .failFast("dev mode ended", () -> !process.isAlive())
                .until(() -> logLinesContaining(text) >= count);
    }

    /**
     * Stops dev mode as a terminal's Ctrl+C or a service manager does (SIGTERM to Maven) and waits until Maven and
     * every process it started have exited.
     *
     * @return Maven's exit code
     */
    public int stop(Duration timeout) throws InterruptedException {
        List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .toList();
        process.destroy();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : tree) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("process " + handle.pid() + " of dev mode still runs " + timeout
                        + " after SIGTERM (log: " + log + ")");
            }
        }
        return process.exitValue();
    }

    /** Kills whatever still runs (a failed test). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static JsonNode json(String value) {
        try {
            return MAPPER.readTree(value == null ? "null" : value);
        } catch (IOException e) {
            return MAPPER.nullNode();
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
