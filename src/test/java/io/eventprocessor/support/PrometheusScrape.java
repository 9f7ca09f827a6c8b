package io.eventprocessor.support;


import java.util.Arrays;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads one sample from {@code /q/metrics} (Prometheus text format). */
public final class PrometheusScrape {

    private PrometheusScrape() {
    }

    /**
     * The value of the sample with this exact name whose labels include every given label, if any.
     *
     * @param labels label names and values the sample must carry
     */
    public static OptionalDouble value(String name, Map<String, String> labels) {
        return value(Management.given().get("/q/metrics").then().statusCode(200).extract().asString(), name, labels);
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
        String body = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Arrays.stream(body.split("\n"))
                .filter(line -> line.startsWith(name + "{") && labels.entrySet().stream()
                        .allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** Like {@link #value(String, Map)}, failing when the sample is missing. */
    public static double require(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no sample " + name + " " + labels + " on /q/metrics"));
    }

    /** Whether any sample name starts with the prefix. */
    public static boolean hasSampleStartingWith(String prefix) {
        String body = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return Arrays.stream(body.split("\n")).anyMatch(line -> line.startsWith(prefix));
    }
}
