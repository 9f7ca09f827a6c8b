package io.eventprocessor.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs a command line tool the tests rely on (promtool, kubectl, npm) and fails the test when it fails. */
public final class Command {

    private Command() {}

    /** Its standard output and error together, once it exited with 0; else the test fails showing them. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ":\n" + output)
                .isZero();
        return output;
    }
}
