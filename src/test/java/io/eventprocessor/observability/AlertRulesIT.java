package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.eventprocessor.support.Command;
import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.ServiceProcess;

/**
 * The alert rules are valid ({@code promtool check rules}), each fires on the series it reads and none fires for a
 * healthy replica ({@code promtool test rules src/test/prometheus/alert-rules-test.yml}), and those series are the
 * ones the packaged service really exports: every metric of ours that a rule queries, with the label names the test
 * series carry. {@code up} comes from Prometheus itself, {@code kube_*} from kube-state-metrics.
 */
class AlertRulesIT {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Path RULES = Path.of("src", "main", "kubernetes", "prometheus-alerts.yml");
    private static final Path RULE_TESTS = Path.of("src", "test", "prometheus", "alert-rules-test.yml");
    /** Labels Prometheus adds when it scrapes; the service does not export them. */
    private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance");

    private static final Pattern OUR_METRIC = Pattern.compile("\\bevent_processor_[a-z_]+");

    @BeforeAll
    static void promtoolIsInstalled() {
        Assumptions.assumeTrue(
                Files.isExecutable(PROMTOOL), "promtool missing: install Debian's prometheus package (.ci/run does)");
    }

    @Test
    void theRulesAreValidAndEachAlertFiresOnItsSeriesAndNoneOnAHealthyReplica() throws Exception {
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");
        assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void everySeriesTheRulesAndTheirTestsReadIsExportedByTheServiceWithTheseLabels() throws Exception {
        String topic = "alert-rules-events";
        InProcessKafkaResource.companion().topics().create(Map.of(topic, 1, topic + "-processed", 1));
        Map<String, Set<String>> exported;
        try (ServiceProcess service = ServiceProcess.start(
                "alert-rules",
                InProcessKafkaResource.bootstrapServers(),
                IsolatedPipeline.processEnvironment(topic, "alert-rules-group", Map.of()))) {
            exported = PrometheusScrape.labelNamesByMetric(service.get("/q/metrics"));
        }
        Set<String> queried = new TreeSet<>();
        for (JsonNode rule :
                new YAMLMapper().readTree(RULES.toFile()).path("groups").get(0).path("rules")) {
            Matcher metric = OUR_METRIC.matcher(rule.path("expr").asText());
            while (metric.find()) {
                queried.add(metric.group());
            }
        }
        assertThat(queried).as("metrics of ours the rules query").isNotEmpty();
        assertThat(exported.keySet()).as("exported by the service").containsAll(queried);

        for (JsonNode test : new YAMLMapper().readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode input : test.path("input_series")) {
                Map.Entry<String, Set<String>> series =
                        PrometheusScrape.series(input.path("series").asText());
                String name = series.getKey();
                if (name.equals("up") || name.startsWith("kube_")) {
                    continue;
                }
                Set<String> labels = new TreeSet<>(series.getValue());
                labels.removeAll(SCRAPE_LABELS);
                assertThat(exported).as("the service exports " + name).containsKey(name);
                assertThat(labels)
                        .as("labels of " + name + " in the rule tests")
                        .isEqualTo(exported.get(name));
            }
        }
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = PROMTOOL.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return Command.run(command);
    }
}
