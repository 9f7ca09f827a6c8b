package io.eventprocessor.support;

import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from {@code /q/metrics} (Prometheus text format). */
public final class PrometheusScrape {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?$");

    private PrometheusScrape() {}

    /**
     * The value of the sample with this exact name whose labels include every given label, if any.
     *
     * @param labels label names and values the sample must carry
     */
    public static OptionalDouble value(String name, Map<String, String> labels) {
        return value(
                Management.given()
                        .get("/q/metrics")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString(),
                name,
                labels);
    }

    /** Like {@link #value(String, Map)}, in a {@code /q/metrics} body read elsewhere (a service process, say). */
    public static OptionalDouble value(String body, String name, Map<String, String> labels) {
        return Arrays.stream(body.split("\n"))
                .filter(line -> !line.startsWith("#"))
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> labels.entrySet().stream()
                        .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /** Sum of every sample with this exact name whose labels include every given label. */
    public static double sum(String name, Map<String, String> labels) {
        String body = Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return Arrays.stream(body.split("\n"))
                .filter(line -> line.startsWith(name + "{")
                        && labels.entrySet().stream()
                                .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Like {@link #value(String, Map)}, failing when the sample is missing. */
    public static double require(String name, Map<String, String> labels) {
        return value(name, labels)
                .orElseThrow(() -> new AssertionError("no sample " + name + " " + labels + " on /q/metrics"));
    }

    /** Whether any sample name starts with the prefix. */
    public static boolean hasSampleStartingWith(String prefix) {
        String body = Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return Arrays.stream(body.split("\n")).anyMatch(line -> line.startsWith(prefix));
    }

    /** The label names of every sample in a body in the Prometheus text format, by metric name. */
    public static Map<String, Set<String>> labelNamesByMetric(String body) {
        Map<String, Set<String>> names = new TreeMap<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Map.Entry<String, Set<String>> sample = series(line.substring(0, line.lastIndexOf(' ')));
                names.put(sample.getKey(), sample.getValue());
            }
        }
        return names;
    }

    /** The metric name and label names of a series as Prometheus writes it, {@code name{a="1",b="2"}}. */
    public static Map.Entry<String, Set<String>> series(String series) {
        Matcher matcher = SERIES.matcher(series);
        if (!matcher.matches()) {
            throw new AssertionError("not a series: " + series);
        }
        Set<String> labels = new TreeSet<>();
        String text = matcher.group(2);
        if (text != null && !text.isBlank()) {
            Arrays.stream(text.split(",(?=[a-zA-Z_]+=)"))
                    .forEach(label ->
                            labels.add(label.substring(0, label.indexOf('=')).trim()));
        }
        return Map.entry(matcher.group(1), labels);
    }
}
