package io.eventprocessor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.IsolatedPipeline;
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
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?$");

    @BeforeAll
    static void promtoolIsInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(PROMTOOL),
                "promtool missing: install Debian's prometheus package (.ci/run does)");
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
        try (ServiceProcess service = ServiceProcess.start("alert-rules", InProcessKafkaResource.broker().bootstrapServers(),
                IsolatedPipeline.processEnvironment(topic, "alert-rules-group", Map.of()))) {
            exported = labelNames(service.get("/q/metrics"));
        }
        Set<String> queried = new TreeSet<>();
        for (JsonNode rule : new YAMLMapper().readTree(RULES.toFile()).path("groups").get(0).path("rules")) {
            Matcher metric = OUR_METRIC.matcher(rule.path("expr").asText());
            while (metric.find()) {
                queried.add(metric.group());
            }
        }
        assertThat(queried).as("metrics of ours the rules query").isNotEmpty();
        assertThat(exported.keySet()).as("exported by the service").containsAll(queried);

        for (JsonNode test : new YAMLMapper().readTree(RULE_TESTS.toFile()).path("tests")) {
            for (JsonNode input : test.path("input_series")) {
                Matcher series = SERIES.matcher(input.path("series").asText());
                assertThat(series.matches()).as(input.toString()).isTrue();
                String name = series.group(1);
                if (name.equals("up") || name.startsWith("kube_")) {
                    continue;
                }
                Set<String> labels = parseLabelNames(series.group(2));
                labels.removeAll(SCRAPE_LABELS);
                assertThat(exported).as("the service exports " + name).containsKey(name);
                assertThat(labels).as("labels of " + name + " in the rule tests").isEqualTo(exported.get(name));
            }
        }
    }

    /** Label names of every sample in a Prometheus text exposition, by metric name. */
    private static Map<String, Set<String>> labelNames(String exposition) {
        Map<String, Set<String>> names = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String sample = line.substring(0, line.lastIndexOf(' '));
            Matcher series = SERIES.matcher(sample);
            if (series.matches()) {
                names.put(series.group(1), parseLabelNames(series.group(2)));
            }
        }
        return names;
    }

    private static Set<String> parseLabelNames(String labels) {
        if (labels == null || labels.isBlank()) {
            return new TreeSet<>();
        }
        return Arrays.stream(labels.split(",(?=[a-zA-Z_]+=)"))
                .map(label -> label.substring(0, label.indexOf('=')).trim())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String promtool(String... arguments) throws IOException, InterruptedException {
        String[] command = new String[arguments.length + 1];
        command[0] = PROMTOOL.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ":\n" + output).isZero();
        return output;
    }
}
