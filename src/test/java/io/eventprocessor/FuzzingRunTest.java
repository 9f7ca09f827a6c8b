package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the two ways bytes come in from outside: records on the input topic
 * ({@code delivery.RecordPathFuzzTarget}) and {@code POST /events} bodies ({@code ingest.RequestBodyFuzzTarget}).
 * Each runs under Jazzer's driver (libFuzzer) in a JVM of its own, both at once, which first runs every seed
 * ({@code src/test/resources/fuzz/<target>/}: the inputs the tests know, and every finding once fixed), then mutates
 * them; a finding fails the test and is written to {@code target/fuzz}.
 * <p>
 * The normal build runs {@code fuzz.runs} inputs per target (a fixed seed, so the same run each time); {@code -Pfuzz}
 * runs each for {@code fuzz.seconds} instead. Not Jazzer's JUnit integration: its fuzzing mode does not implement
 * JUnit 6's {@code ArgumentsProvider}, and its agent, once in the test JVM, instruments every class loaded after it.
 */
class FuzzingRunTest {

    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");

    /** Each target's class and its seed directory under {@code src/test/resources/fuzz/}. */
    private static final Map<String, String> TARGETS = Map.of(
            "io.eventprocessor.delivery.RecordPathFuzzTarget", "record-path",
            "io.eventprocessor.ingest.RequestBodyFuzzTarget", "request-body");

    /** Both targets at once, each in its own JVM: most of a run is the JVM and Jazzer starting. */
    @Test
    void noInputBreaksTheInvariant() throws IOException, InterruptedException {
        Map<String, Process> running = new LinkedHashMap<>();
        for (Map.Entry<String, String> target : TARGETS.entrySet()) {
            running.put(target.getValue(), start(target.getKey(), target.getValue()));
        }
        for (Map.Entry<String, Process> run : running.entrySet()) {
            check(run.getKey(), run.getValue().waitFor());
        }
    }

    private static Process start(String target, String seeds) throws IOException {
        Path work = Path.of("target", "fuzz", seeds);
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                classPathWithoutJUnit(),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + target,
                "--instrumentation_includes=io.eventprocessor.**:com.fasterxml.jackson.core.**",
                "--custom_hook_includes=io.eventprocessor.**:com.fasterxml.jackson.core.**",
                "-artifact_prefix=" + work.toAbsolutePath() + "/",
                "-rss_limit_mb=0",
                "-seed=1"));
        String seconds = System.getProperty("fuzz.seconds");
        command.add(
                seconds == null || seconds.isBlank()
                        ? "-runs=" + System.getProperty("fuzz.runs", "30000")
                        : "-max_total_time=" + seconds);
        command.add(corpus.toString());
        command.add(Path.of("src", "test", "resources", "fuzz", seeds).toString());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("jazzer.log").toFile())
                .start();
    }

    /**
     * The test class path without JUnit's jars: with them there, Jazzer's driver starts a JUnit discovery of every test
     * class (and Quarkus' class orderer) before it fuzzes, which took most of each run.
     */
    private static String classPathWithoutJUnit() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().contains("junit"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static void check(String seeds, int exit) throws IOException {
        Path work = Path.of("target", "fuzz", seeds);
        Path log = work.resolve("jazzer.log");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher done = DONE.matcher(output);
        String summary = done.find() ? done.group(1) + " inputs in " + done.group(2) + " s" : "no summary";
        System.out.printf("FuzzingRunTest: %s: %s, exit %d, log %s%n", seeds, summary, exit, log);
        assertThat(exit)
                .as(
                        "%s: Jazzer's exit code (a finding is in %s):%n%s",
                        seeds,
                        work,
                        output.lines()
                                .filter(line -> !line.startsWith("INFO: ") && !line.startsWith("#"))
                                .limit(60)
                                .reduce("", (all, line) -> all + line + "\n"))
                .isZero();
        assertThat(done.find(0)).as("%s: Jazzer's summary line", seeds).isTrue();
    }
}
