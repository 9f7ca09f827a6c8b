package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Coverage-guided fuzzing of the two ways bytes come in from outside: records on the input topic
 * ({@code delivery.RecordPathFuzzTarget}) and {@code POST /events} bodies ({@code ingest.RequestBodyFuzzTarget}).
 * Each runs under Jazzer's driver (libFuzzer) in a JVM of its own, which first runs every seed
 * ({@code src/test/resources/fuzz/<target>/}: the inputs the tests know, and every finding once fixed), then mutates
 * them; a finding fails the test and is written to {@code target/fuzz}.
 * <p>
 * The normal build runs {@code fuzz.runs} inputs per target (a fixed seed, so the same run each time); {@code -Pfuzz}
 * runs each for {@code fuzz.seconds} instead. Not Jazzer's JUnit integration: its fuzzing mode does not implement
 * JUnit 6's {@code ArgumentsProvider}, and its agent, once in the test JVM, instruments every class loaded after it.
 */
class FuzzingRunTest {

    private static final Pattern DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");

    @ParameterizedTest
    @CsvSource({
        "io.eventprocessor.delivery.RecordPathFuzzTarget, record-path",
        "io.eventprocessor.ingest.RequestBodyFuzzTarget, request-body"
    })
    void noInputBreaksTheInvariant(String target, String seeds) throws IOException, InterruptedException {
        Path work = Path.of("target", "fuzz", seeds);
        Path corpus = Files.createDirectories(work.resolve("corpus"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "com.code_intelligence.jazzer.Jazzer",
                "--target_class=" + target,
                "--instrumentation_includes=io.eventprocessor.**:com.fasterxml.jackson.core.**",
                "-artifact_prefix=" + work.toAbsolutePath() + "/",
                "-rss_limit_mb=0",
                "-seed=1"));
        String seconds = System.getProperty("fuzz.seconds");
        command.add(
                seconds == null || seconds.isBlank()
                        ? "-runs=" + System.getProperty("fuzz.runs", "100000")
                        : "-max_total_time=" + seconds);
        command.add(corpus.toString());
        command.add(Path.of("src", "test", "resources", "fuzz", seeds).toString());
        Path log = work.resolve("jazzer.log");
        Process jazzer = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int exit = jazzer.waitFor();

        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher done = DONE.matcher(output);
        String summary = done.find() ? done.group(1) + " inputs in " + done.group(2) + " s" : "no summary";
        System.out.printf("FuzzingRunTest: %s: %s, exit %d, log %s%n", seeds, summary, exit, log);
        assertThat(exit)
                .as(
                        "Jazzer's exit code (a finding is in %s):%n%s",
                        work,
                        output.lines()
                                .filter(line -> !line.startsWith("INFO: ") && !line.startsWith("#"))
                                .limit(60)
                                .reduce("", (all, line) -> all + line + "\n"))
                .isZero();
        assertThat(done.find(0)).as("Jazzer's summary line").isTrue();
    }
}
