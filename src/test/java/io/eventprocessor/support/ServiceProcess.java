package io.eventprocessor.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) as a separate process, with
 * its output in {@code target/<name>.log}: started, probed over HTTP, and stopped with SIGTERM or
 * killed with SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /** JVM options of every service process: a heap that fits the pod's 512 MiB memory limit. */
    private static final ObjectMapper LOG_READER = new ObjectMapper();

    public static final List<String> JVM_OPTIONS = List.of("-Xmx256m");

    /** What Quarkus logs once both servers listen, with the ports the system chose. */
    private static final Pattern LISTENING = Pattern.compile(
            "Listening on: https?://[^:]+:(\\d+)\\. Management interface listening on https?://[^:]+:(\\d+)");

    private static final int LOG_LINES_IN_FAILURES = 40;

    private final String name;
    private final Process process;
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile Ports ports;

    private ServiceProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** The API and management ports the process listens on. */
    private record Ports(int api, int management) {}

    /**
     * Starts an instance and waits until it is ready.
     *
     * @param environment environment variables on top of the bootstrap servers, ports and instance id
     */
    public static ServiceProcess start(String name, String bootstrapServers, Map<String, String> environment) {
        ServiceProcess service = launch(name, bootstrapServers, environment);
        service.awaitReady(Duration.ofSeconds(60));
        return service;
    }

    /** Starts an instance without waiting for it; see {@link #awaitReady(Duration)}. */
    public static ServiceProcess launch(String name, String bootstrapServers, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(JVM_OPTIONS);
        // e.g. -Dservice.jvm-options="-XX:StartFlightRecording=filename=target/service.jfr" to profile a run
        String extraOptions = System.getProperty("service.jvm-options", "").replace("{name}", name);
        if (!extraOptions.isBlank()) {
            command.addAll(List.of(extraOptions.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", name + ".log").toFile());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // Ports the process binds itself: a port picked here and bound seconds later can meanwhile be
        // taken by any other socket on the machine, and the process then exits.
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", "0");
        builder.environment().put("PROCESSOR_INSTANCE_ID", name);
        // The packaged jar runs the production profile: tests of it write anonymously unless they say otherwise.
        builder.environment().put("PROCESSOR_INGEST_ALLOW_ANONYMOUS", "true");
        builder.environment().putAll(environment);
        try {
            return new ServiceProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code java} of the JVM running this code. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits until {@code /q/health/ready} answers 200; fails at once when the process exits meanwhile.
     * A failure carries the last readiness answer and the end of the process's log.
     */
    public ServiceProcess awaitReady(Duration bound) {
        try {
            Awaitility.await(name + " ready")
                    .atMost(bound)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(name + " exited with code " + process.exitValue()
                                    + " before it was ready; the end of its log:\n" + logTail());
                        }
                        return status("/q/health/ready") == 200;
                    });
        } catch (ConditionTimeoutException notReady) {
            throw new AssertionError(name + " not ready within " + bound + ": " + diagnosis(), notReady);
        }
        return this;
    }

    /**
     * What a failure message needs to tell what this instance was doing: its health, its view of the
     * partitions (owners, committed offsets, lag) and the end of its log.
     */
    public String diagnosis() {
        StringBuilder text = new StringBuilder(name).append(process.isAlive() ? " (running)" : " (exited)");
        for (String path : List.of("/q/health", "/partitions")) {
            text.append("\n").append(path).append(": ");
            try {
                text.append(isListening() ? get(path) : "(not listening yet)");
            } catch (IOException e) {
                text.append("(no answer: ").append(e).append(')');
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                text.append("(interrupted)");
            }
        }
        return text.append("\nthe end of its log:\n").append(logTail()).toString();
    }

    public String name() {
        return name;
    }

    /** HTTP port of this instance's API ({@code POST /events}); the instance must be listening. */
    public int port() {
        return listening().api();
    }

    /** {@code POST /events} on this instance's API port. */
    public URI eventsUri() {
        return URI.create("http://localhost:" + port() + "/events");
    }

    /**
     * Port of this instance's management interface (health, metrics, {@code GET /partitions}); the
     * instance must be listening.
     */
    public int managementPort() {
        return listening().management();
    }

    /** Whether the instance has logged that its servers listen. */
    public boolean isListening() {
        if (ports == null) {
            try {
                Matcher matcher = LISTENING.matcher(output());
                if (matcher.find()) {
                    ports = new Ports(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ports != null;
    }

    private Ports listening() {
        if (!isListening()) {
            throw new IllegalStateException(name + " is not listening yet");
        }
        return ports;
    }

    /** Operating-system process id. */
    public long pid() {
        return process.pid();
    }

    /** HTTP status of a GET on this instance's management interface, or -1 when it does not answer (yet). */
    public int status(String path) {
        if (!isListening()) {
            return -1;
        }
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Body of a GET on this instance's management interface. */
    public String get(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort() + path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** {@code POST /events} with a JSON body on this instance's API port, with a bearer token unless it is null. */
    public HttpResponse<String> postEvents(String body, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUri())
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Member ids of the owners in a {@code GET /partitions} body (an unowned partition counts as an empty id). */
    public static Set<String> owners(JsonNode partitionsView) {
        Set<String> owners = new LinkedHashSet<>();
        partitionsView
                .path("partitions")
                .forEach(partition ->
                        owners.add(partition.path("owner").path("memberId").asText()));
        return owners;
    }

    /** SIGKILL: the process dies at once, without leaving its group or committing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, without waiting: see {@link #awaitExit(Duration)}. */
    public void sigterm() {
        process.destroy();
    }

    /**
     * SIGTERM, then waits for the process to end.
     *
     * @return how long it took to exit
     */
    public Duration terminate(Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + bound + " of SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Waits for the process to end on its own (one that refuses to start, say).
     *
     * @return its exit code
     */
    public int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + bound);
        }
        return process.exitValue();
    }

    /** What the process wrote to its console so far ({@code target/<name>.log}). */
    public String output() throws IOException {
        return Files.readString(Path.of("target", name + ".log"));
    }

    /** The JSON log entries the process wrote so far (its production log: one object per line). */
    public List<JsonNode> logEntries() throws IOException {
        return output().lines()
                .map(ServiceProcess::jsonOrNull)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The line as a JSON object, or {@code null} when it is not one. */
    public static JsonNode jsonOrNull(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = LOG_READER.readTree(line);
            return node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The last lines of the log, the health checks' own entries left out, for failure messages. */
    private String logTail() {
        try {
            List<String> lines = output().lines()
                    .filter(line -> !line.contains("\"loggerName\":\"io.smallrye.health\""))
                    .toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_FAILURES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** A TCP port free on this machine now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
