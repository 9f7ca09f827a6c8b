package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.support.Command;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.ServiceProcess;
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
            ProcessBuilder builder = new ProcessBuilder(
                            "node",
                            Path.of("src", "test", "browser", "partitions-page.cjs")
                                    .toString(),
                            "http://localhost:" + service.managementPort() + "/partitions/ui",
                            topic,
                            "2",
                            BROWSER_DIR.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment()
                    .put("PLAYWRIGHT_CORE", playwright.toAbsolutePath().toString());
            builder.environment().put("CHROMIUM", CHROMIUM.toString());
            Process browser = builder.start();
            // Whatever happens in the browser, the script ends within 2 minutes and the reading below with it.
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
            try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream in = browser.getOutputStream()) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    if (line.equals("READY")) {
                        companion
                                .getOrCreateAdminClient()
                                .createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
                                .all()
                                .get(30, TimeUnit.SECONDS);
                        in.write("grown\n".getBytes(StandardCharsets.UTF_8));
                        in.close();
                    }
                }
            }
            assertThat(browser.waitFor(30, TimeUnit.SECONDS))
                    .as("the browser script ended")
                    .isTrue();
            assertThat(browser.exitValue()).as("browser script: " + lines).isZero();
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
