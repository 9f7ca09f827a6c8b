package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewPartitions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.support.Command;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.PartitionerKeys;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The partition page ({@code GET /partitions/ui} on the management port) in a real browser: Debian's Chromium,
 * headless, driven by playwright-core ({@code src/test/browser/partitions-page.cjs}) against the packaged jar on a
 * real broker. It lists the partitions, shows a partition added to the topic within seconds, without a reload, and
 * marks it unowned and new (the replica, on the classic protocol with a 10-minute metadata refresh, does not take it);
 * screenshots go to {@code target/browser/}.
 */
class PartitionsPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BROWSER_DIR = Path.of("target", "browser");
    private static final String PLAYWRIGHT = "playwright-core@1.65.1";

    @Test
    void thePageListsThePartitionsAndShowsAnAddedOneUnownedWithinSeconds() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM), "chromium missing: install Debian's chromium package (.ci/run does)");
        Path playwright = installPlaywright();
        String topic = "page-events";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, 2, topic + "-processed", 1));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                topic,
                "page-group",
                Map.of(
                        "PROCESSOR_PARTITIONS_GROUP_PROTOCOL", "classic",
                        "PROCESSOR_PARTITIONS_METADATA_MAX_AGE", "10m",
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
        try (ServiceProcess service =
                ServiceProcess.start("page", InProcessKafkaResource.bootstrapServers(), environment)) {
            String url = "http://localhost:" + service.managementPort() + "/partitions/ui";
            List<String> lines = runScript(
                    playwright, "partitions-page.cjs", List.of(url, topic, "2", BROWSER_DIR.toString()), (line, in) -> {
                        if (line.equals("READY")) {
                            companion
                                    .getOrCreateAdminClient()
                                    .createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
                                    .all()
                                    .get(30, TimeUnit.SECONDS);
                            in.write("grown\n".getBytes(StandardCharsets.UTF_8));
                            in.close();
                        }
                    });
            JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            System.out.println("PartitionsPageIT: " + result);

            assertThat(result.path("before").toString()).contains(topic + "-0", topic + "-1");
            assertThat(result.path("added").asText()).isEqualTo(topic + "-2");
            assertThat(result.path("shownAfterMs").asLong())
                    .as("ms until the added partition showed")
                    .isLessThan(10_000);
            assertThat(result.path("row").path("state").asText()).isEqualTo("unowned");
            assertThat(result.path("row").path("text").asText())
                    .contains("unowned since")
                    .contains("new, added");
            assertThat(result.path("header").asText())
                    .contains("page-group")
                    .contains("classic")
                    .contains("reachable");
            assertThat(BROWSER_DIR.resolve("partitions-page.png")).isNotEmptyFile();
            assertThat(BROWSER_DIR.resolve("partitions-page-phone.png")).isNotEmptyFile();
        }
    }

    @Test
    void theKeyOrderLineNamesThePartitionAHeldKeyWaitsFor() throws Exception {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM), "chromium missing: install Debian's chromium package (.ci/run does)");
        Path playwright = installPlaywright();
        String topic = "page-held";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, 3, topic + "-processed", 1));
        Map<String, String> environment = IsolatedPipeline.processEnvironment(
                topic,
                "page-held-group",
                Map.of(
                        // The moved key waits 10 minutes for producers to switch: long enough to look at.
                        "PROCESSOR_KEY_ORDER_PRODUCER_REFRESH", "10m",
                        "PROCESSOR_PARTITIONS_CHECK_INTERVAL", "500ms"));
        try (ServiceProcess service =
                ServiceProcess.start("page-held", InProcessKafkaResource.bootstrapServers(), environment)) {
            awaitOwned(service, 3);
            IsolatedPipeline.growTopic(companion, topic, 6);
            awaitOwned(service, 6);
            // A key on partition 1 of 3 and 4 of 6, written where the default partitioner now puts it.
            String key = new String(PartitionerKeys.keyOn(new int[] {3, 6}, 1, 4), StandardCharsets.UTF_8);
            companion
                    .produceStrings()
                    .fromRecords(KafkaCompanion.record(
                            topic, 4, key, "{\"id\":\"held-1\",\"type\":\"moved\",\"payload\":{}}"))
                    .awaitCompletion(Duration.ofSeconds(30));
            Awaitility.await("partition 4 held for partition 1 in GET /partitions")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> TopicRecords.json(service.get("/partitions"))
                            .path("heldForOrder")
                            .path(0)
                            .path("waitingFor")
                            .has("1"));

            Path screenshot = BROWSER_DIR.resolve("partitions-page-held.png");
            List<String> lines = runScript(
                    playwright,
                    "held-line.cjs",
                    List.of("http://localhost:" + service.managementPort() + "/partitions/ui", screenshot.toString()),
                    (line, in) -> in.close());
            JsonNode result = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            System.out.println("PartitionsPageIT: " + result);

            assertThat(result.path("text").asText())
                    .startsWith("Held here for key order: ")
                    .contains(topic + "-4 (1 keys, 1 records) waits for partition 1 up to ? (done: ");
            assertThat(screenshot).isNotEmptyFile();
        }
    }

    private static void awaitOwned(ServiceProcess service, int partitions) {
        Awaitility.await(partitions + " partitions owned")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    JsonNode view = TopicRecords.json(service.get("/partitions"));
                    return view.path("partitions").size() == partitions
                            && view.path("unowned").isEmpty();
                });
    }

    /** What the browser does with each line the script prints, with the script's standard input. */
    @FunctionalInterface
    private interface LineHandler {
        void accept(String line, OutputStream in) throws Exception;
    }

    /**
     * Runs a script of {@code src/test/browser} in node with playwright-core and Debian's Chromium; returns the lines it
     * printed once it has ended with status 0. Whatever happens in the browser, it ends within 2 minutes.
     */
    private static List<String> runScript(Path playwright, String script, List<String> arguments, LineHandler onLine)
            throws Exception {
        List<String> command = new ArrayList<>(
                List.of("node", Path.of("src", "test", "browser", script).toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PLAYWRIGHT_CORE", playwright.toAbsolutePath().toString());
        builder.environment().put("CHROMIUM", CHROMIUM.toString());
        Process browser = builder.start();
        Thread watchdog = new Thread(
                () -> {
                    try {
                        if (!browser.waitFor(120, TimeUnit.SECONDS)) {
                            browser.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        browser.destroyForcibly();
                    }
                },
                "browser-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                        new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = browser.getOutputStream()) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                onLine.accept(line, in);
            }
        }
        assertThat(browser.waitFor(30, TimeUnit.SECONDS))
                .as("the browser script ended")
                .isTrue();
        assertThat(browser.exitValue()).as("browser script: " + lines).isZero();
        return lines;
    }

    /** playwright-core (JavaScript only, no browser download) from npm into target/browser, once per build. */
    private static Path installPlaywright() throws Exception {
        Path module = BROWSER_DIR.resolve("node_modules").resolve("playwright-core");
        if (!Files.isDirectory(module)) {
            Files.createDirectories(BROWSER_DIR);
            Command.run("npm", "install", "--no-audit", "--no-fund", "--prefix", BROWSER_DIR.toString(), PLAYWRIGHT);
        }
        return module;
    }
}
