package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.eventprocessor.devkafka.InProcessKafkaBroker;
import io.eventprocessor.support.DevModeSession;

/**
 * The README's first command, {@code ./mvnw quarkus:dev}, from a fresh copy of the project: it starts with its own
 * broker, takes an event and processes it; a change to a Java method is live at once, and a change of configuration
 * restarts the application on the same broker, with its data and the group's offsets; SIGTERM stops it cleanly (the
 * application before its broker, no error logged, no process left). How fast is the benchmark's business ({@code -Dbenchmark.sections=devmode}).
 */
class DevModeIT {

    private static final String ENRICHER = "src/main/java/io/eventprocessor/processing/EventEnricher.java";
    private static final String PROPERTIES = "src/main/resources/application.properties";
    /** In both of Quarkus' messages: a reload by replacing classes, and one by restarting the application. */
    private static final String RELOAD_DONE = "total time: ";

    @Test
    void liveCodingKeepsTheBrokerAndItsDataAndStopsCleanly() throws Exception {
        try (DevModeSession dev = DevModeSession.launch("dev-mode-it")) {
            dev.postUntilAccepted(event("before-edit"), Duration.ofMinutes(5));
            JsonNode before = dev.awaitProcessed("before-edit", Duration.ofSeconds(60));
            assertThat(before.path("type").asText()).isEqualTo("dev.check");

            // A method body: replaced in the running application (quarkus.live-reload.instrumentation).
            dev.edit(ENRICHER, "event.type(),", "event.type() + \".edited\",");
            dev.awaitLogLines(RELOAD_DONE, 1, Duration.ofSeconds(60));
            dev.postUntilAccepted(event("after-code-edit"), Duration.ofSeconds(30));
            assertThat(dev.awaitProcessed("after-code-edit", Duration.ofSeconds(60))
                            .path("type")
                            .asText())
                    .as("the edited EventEnricher wrote it")
                    .isEqualTo("dev.check.edited");

            // Configuration: the application restarts, on the same broker.
            dev.edit(
                    PROPERTIES,
                    "%dev.processor.generator.enabled=true",
                    "%dev.processor.generator.enabled=true\n%dev.processor.instance-id=edited-instance");
            dev.awaitLogLines(RELOAD_DONE, 2, Duration.ofSeconds(60));
            dev.postUntilAccepted(event("after-restart"), Duration.ofSeconds(30));
            JsonNode afterRestart = dev.awaitProcessed("after-restart", Duration.ofSeconds(60));

            assertThat(afterRestart.path("processedBy").asText())
                    .as("the restarted application's configuration")
                    .isEqualTo("edited-instance");
            assertThat(afterRestart.path("type").asText()).as("and its code").isEqualTo("dev.check.edited");
            assertThat(dev.logLinesContaining("In-process Kafka broker started"))
                    .as("one broker for the whole session")
                    .isEqualTo(1);
            assertThat(dev.logLinesContaining("A Kafka broker already listens"))
                    .as("the restart found it")
                    .isEqualTo(1);
            assertThat(dev.records("events", "before-edit"))
                    .as("the event taken first is still stored")
                    .hasSize(1);
            assertThat(dev.records("events-processed", "before-edit"))
                    .as("the restarted application resumed at the group's committed offsets: nothing processed twice")
                    .hasSize(1);

            int exitCode = dev.stop(Duration.ofSeconds(60));

            List<String> log = dev.logLines();
            assertThat(exitCode).as("Maven's exit code after SIGTERM").isIn(0, 130, 143);
            assertThat(log)
                    .as("nothing logged at ERROR, during the session or its stop")
                    .noneMatch(line -> line.contains(" ERROR "));
            int shutdown = lastIndexOf(log, "Shutting down: readiness DOWN");
            assertThat(shutdown).as("the application was stopped").isNotNegative();
            List<String> stopping = log.subList(shutdown, log.size());
            assertThat(warningsOtherThanTheConnectorsCloseRaces(stopping))
                    .as("no client warned while stopping (the broker stops only after the application)")
                    .isEmpty();
            assertThat(stopping).anyMatch(line -> line.contains("event-processor stopped in"));
            String[] hostPort = dev.bootstrapServers().split(":");
            assertThat(InProcessKafkaBroker.isListening(
                            InetSocketAddress.createUnresolved(hostPort[0], Integer.parseInt(hostPort[1]))))
                    .as("the broker's port is free again")
                    .isFalse();
        }
    }

    private static String event(String id) {
        return "{\"id\":\"" + id + "\",\"type\":\"dev.check\",\"payload\":{\"amount\":12.50}}";
    }

    /**
     * The WARN lines of a log, but two the Kafka connector (SmallRye 4.33) may log as it closes its consumer,
     * whatever the broker does: its close wakes the consumer up, failing a periodic offset commit in flight
     * ({@code SRMSG18252} caused by a {@code WakeupException}; {@code OffsetCommits} then commits those offsets, which
     * {@code GracefulShutdownIT} checks), and a poll it had queued behind the close runs on the closed consumer
     * ({@code SRMSG18285} caused by "This consumer has already been closed"). Each counts as such only with that
     * cause on its line or the next (where the console log prints the exception); any other WARN is kept.
     */
    static List<String> warningsOtherThanTheConnectorsCloseRaces(List<String> log) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            String line = log.get(i);
            if (!line.contains(" WARN ")) {
                continue;
            }
            String withCause = i + 1 < log.size() ? line + "\n" + log.get(i + 1) : line;
            boolean commitWokenUp = line.contains("SRMSG18252") && withCause.contains("WakeupException");
            boolean pollAfterClose =
                    line.contains("SRMSG18285") && withCause.contains("This consumer has already been closed");
            if (!commitWokenUp && !pollAfterClose) {
                warnings.add(line);
            }
        }
        return warnings;
    }

    private static int lastIndexOf(List<String> log, String text) {
        for (int i = log.size() - 1; i >= 0; i--) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
