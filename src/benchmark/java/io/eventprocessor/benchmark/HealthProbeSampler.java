package io.eventprocessor.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Probes {@code /q/health/live}, {@code /q/health/ready} and, as a control that runs no health check,
 * {@code GET /partitions} of a service, 20 times a second each, the
 * way a kubelet does: from a small native client of its own ({@code curl}, one process per endpoint),
 * one request at a time, each on a new connection ({@code Connection: close}, as kubelet's probes send),
 * not from the benchmark's busy JVM. {@code curl} writes the status and the
 * total time of every answer; the benchmark reads them after stopping it.
 */
final class HealthProbeSampler implements AutoCloseable {

    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    /** Control: an endpoint that runs no health check (it reads the same snapshot from memory). */
    static final String CONTROL = "/partitions";

    private final List<Process> probes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    HealthProbeSampler(String name, int port) {
        for (String path : List.of(LIVE, READY, CONTROL)) {
            try {
                Path output = Files.createDirectories(BenchmarkIT.OUTPUT)
                        .resolve(name + "-probes-" + path.substring(path.lastIndexOf('/') + 1) + ".tsv");
                outputs.add(output);
                // 20 requests a second for up to 10 minutes
                probes.add(new ProcessBuilder(
                                "curl",
                                "--silent",
                                "--rate",
                                "20/s",
                                "--header",
                                "Connection: close",
                                "--output",
                                "/dev/null",
                                "--write-out",
                                "%{url_effective}\\t%{http_code}\\t%{time_total}\\n",
                                "http://localhost:" + port + path + "?probe=[1-12000]")
                        .redirectOutput(output.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            } catch (IOException e) {
                throw new UncheckedIOException("the health probes need curl on the PATH", e);
            }
        }
    }

    /** Latencies in milliseconds of the answers to {@code path}, once stopped. */
    List<Double> millis(String path) throws IOException {
        List<Double> latencies = new ArrayList<>();
        for (String[] fields : answers()) {
            if (fields[0].contains(path + "?")) {
                latencies.add(Double.parseDouble(fields[2]) * 1000);
            }
        }
        return latencies;
    }

    /** Answers that were not 200 (or no answer), once stopped. */
    int notOk() throws IOException {
        return (int)
                answers().stream().filter(fields -> !fields[1].equals("200")).count();
    }

    private List<String[]> answers() throws IOException {
        List<String[]> answers = new ArrayList<>();
        for (Path output : outputs) {
            Files.readAllLines(output).stream()
                    .map(line -> line.split("\t"))
                    .filter(fields -> fields.length == 3)
                    .forEach(answers::add);
        }
        return answers;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process probe : probes) {
            probe.destroy();
            probe.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
