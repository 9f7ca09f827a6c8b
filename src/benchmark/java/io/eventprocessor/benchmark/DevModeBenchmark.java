package io.eventprocessor.benchmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.eventprocessor.support.DevModeSession;

/**
 * Dev mode ({@code ./mvnw quarkus:dev}, the README's first command) on a fresh copy of the project with a warm
 * Maven cache: seconds from the command to the first processed event, then Quarkus' own live reload time and the
 * seconds from saving a file to its effect on a processed event, for a change inside a method (classes replaced in
 * the running application) and a change of configuration (the application restarts on the same broker).
 */
final class DevModeBenchmark {

    private static final int RUNS = Integer.getInteger("benchmark.rounds", 3);
    private static final String ENRICHER = "src/main/java/io/eventprocessor/processing/EventEnricher.java";
    private static final String PROPERTIES = "src/main/resources/application.properties";
    private static final Pattern RELOAD_TIME = Pattern.compile("total time: ([0-9.]+)s");
    private static final String FIRST_TARGET = "<= 30 s";
    private static final String RELOAD_TARGET = "<= 2 s";

    private final ResultTable table;

    DevModeBenchmark(ResultTable table) {
        this.table = table;
    }

    void run() throws Exception {
        List<Double> firstEvent = new ArrayList<>();
        List<Double> codeReload = new ArrayList<>();
        List<Double> codeEffect = new ArrayList<>();
        List<Double> restartReload = new ArrayList<>();
        List<Double> restartEffect = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            try (DevModeSession dev = DevModeSession.launch("dev-mode-benchmark")) {
                String first = "first-" + run;
                dev.postUntilAccepted(event(first), Duration.ofMinutes(5));
                dev.awaitProcessed(first, Duration.ofSeconds(60));
                firstEvent.add(secondsSince(dev.launchedAt()));

                long saved = System.nanoTime();
                dev.edit(ENRICHER, "event.type(),", "event.type() + \".edited\",");
                codeEffect.add(untilProcessedAs(dev, "code-" + run, "type", "dev.check.edited", saved));
                codeReload.add(reloadSeconds(dev, 1));

                saved = System.nanoTime();
                dev.edit(
                        PROPERTIES,
                        "%dev.processor.generator.enabled=true",
                        "%dev.processor.generator.enabled=true\n%dev.processor.instance-id=edited-" + run);
                restartEffect.add(untilProcessedAs(dev, "config-" + run, "processedBy", "edited-" + run, saved));
                restartReload.add(reloadSeconds(dev, 2));
                dev.stop(Duration.ofSeconds(60));
            }
        }
        row("command to first processed event (fresh copy, no target/)", "s", firstEvent, FIRST_TARGET);
        row("live reload, change inside a method (Quarkus' total time)", "s", codeReload, RELOAD_TARGET);
        row("file saved to a processed event showing the method change", "s", codeEffect, "");
        row("live reload, configuration change: restart (Quarkus' total time)", "s", restartReload, RELOAD_TARGET);
        row("file saved to a processed event showing the configuration change", "s", restartEffect, "");
    }

    /** Posts events until one comes out processed with the field's new value; seconds since the file was saved. */
    private static double untilProcessedAs(
            DevModeSession dev, String idPrefix, String field, String expected, long saved) {
        for (int attempt = 1; attempt <= 600; attempt++) {
            String id = idPrefix + "-" + attempt;
            dev.postUntilAccepted(event(id), Duration.ofSeconds(60));
            if (expected.equals(
                    dev.awaitProcessed(id, Duration.ofSeconds(60)).path(field).asText())) {
                return secondsSince(saved);
            }
        }
        throw new IllegalStateException("no processed event showed " + field + "=" + expected);
    }

    /** The reload time Quarkus logged for the session's n-th reload. */
    private static double reloadSeconds(DevModeSession dev, int nth) {
        dev.awaitLogLines("total time: ", nth, Duration.ofSeconds(60));
        List<Double> times = dev.logLines().stream()
                .map(RELOAD_TIME::matcher)
                .filter(Matcher::find)
                .map(matcher -> Double.parseDouble(matcher.group(1)))
                .toList();
        return Optional.of(times)
                .filter(all -> all.size() >= nth)
                .map(all -> all.get(nth - 1))
                .orElseThrow(() -> new IllegalStateException("no reload time " + nth + " in the log"));
    }

    private void row(String subject, String unit, List<Double> values, String target) {
        Figures figures = Figures.of(values);
        String verdict = "";
        if (!target.isEmpty()) {
            double limit = Double.parseDouble(target.replaceAll("[^0-9.]", ""));
            verdict = figures.median() <= limit ? "met" : "missed";
        }
        table.add(new ResultTable.Row(
                "dev mode",
                subject,
                unit,
                figures.count(),
                ResultTable.format(figures.median(), 2),
                ResultTable.format(figures.max(), 2),
                target,
                verdict));
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    private static String event(String id) {
        return String.format(Locale.ROOT, "{\"id\":\"%s\",\"type\":\"dev.check\",\"payload\":{\"amount\":12.50}}", id);
    }
}
