package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewPartitions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.eventprocessor.support.Command;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.ServiceProcess;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The Grafana dashboard ({@code docker/grafana/dashboards/event-processor.json}) queries only metrics the packaged
 * service exports once it has worked a little (events accepted and refused, a dead letter, a new partition picked
 * up); {@code up} comes from Prometheus. The compose observability services mount files that exist, and
 * Prometheus' configuration passes {@code promtool check config} (where promtool is installed).
 */
class DashboardIT {

    private static final Path DASHBOARD = Path.of("docker", "grafana", "dashboards", "event-processor.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:event_processor|http_server|kafka)_[a-z_]+)\\b");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(60);

    @Test
    void everyMetricTheDashboardQueriesIsExportedByTheService() throws Exception {
        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("prometheus");
                Matcher metric = METRIC.matcher(target.path("expr").asText());
                while (metric.find()) {
                    queried.add(metric.group(1));
                }
            }
        }
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(8);

        String topic = "dashboard-events";
        KafkaCompanion companion = InProcessKafkaResource.companion();
        companion.topics().create(Map.of(topic, 1, topic + "-processed", 1));
        try (ServiceProcess service = ServiceProcess.start(
                "dashboard",
                InProcessKafkaResource.bootstrapServers(),
                IsolatedPipeline.processEnvironment(topic, "dashboard-group", Map.of()))) {
            assertThat(service.postEvents("{\"type\":\"t\",\"payload\":1}", null)
                            .statusCode())
                    .isEqualTo(202);
            assertThat(service.postEvents("{\"payload\":1}", null).statusCode()).isEqualTo(400);
            companion
                    .produceStrings()
                    .fromRecords(KafkaCompanion.record(topic, 0, null, "not json"))
                    .awaitCompletion(TIMEOUT);
            companion
                    .getOrCreateAdminClient()
                    .createPartitions(Map.of(topic, NewPartitions.increaseTo(2)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Awaitility.await("a new partition picked up")
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        IsolatedPipeline.writeStraightInto(companion, topic, 1, "dashboard-new", 1);
                        return service.get("/q/metrics").contains("event_processor_partition_pickup_seconds_count{");
                    });
            // kafka_consumer_fetch_manager_records_lag exists per partition once it was fetched from, and
            // Micrometer's Kafka binder registers client metrics that appear later at its next refresh, 60 s
            // after it bound the consumer: seen at 57 s here, so the wait allows two refreshes.
            Awaitility.await("every queried metric exported")
                    .atMost(KAFKA_METRICS_REFRESH.multipliedBy(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(PrometheusScrape.labelNamesByMetric(service.get("/q/metrics"))
                                    .keySet())
                            .containsAll(queried));
        }
    }

    @Test
    void theComposeObservabilityServicesMountFilesThatExist() throws Exception {
        JsonNode services = new YAMLMapper()
                .readTree(Path.of("docker", "compose.yaml").toFile())
                .path("services");
        for (String name : new String[] {"prometheus", "grafana"}) {
            assertThat(services.path(name).path("profiles").get(0).asText()).isEqualTo("observability");
            for (JsonNode volume : services.path(name).path("volumes")) {
                Path source =
                        Path.of("docker").resolve(volume.asText().split(":")[0]).normalize();
                assertThat(source).as(name + " mounts " + volume.asText()).exists();
            }
        }
    }

    @Test
    void theComposePrometheusConfigurationIsValid() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool missing: install Debian's prometheus package");
        Path config = Files.createDirectories(Path.of("target", "prometheus")).resolve("prometheus.yml");
        Files.writeString(
                config,
                Files.readString(Path.of("docker", "prometheus", "prometheus.yml"))
                        .replace(
                                "/etc/prometheus/rules/prometheus-alerts.yml",
                                Path.of("src", "main", "kubernetes", "prometheus-alerts.yml")
                                        .toAbsolutePath()
                                        .toString()));
        Command.run(promtool.toString(), "check", "config", config.toString());
    }
}
