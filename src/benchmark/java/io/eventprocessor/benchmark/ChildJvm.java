package io.eventprocessor.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.eventprocessor.support.ServiceProcess;

/**
 * A class's {@code main} in a JVM of its own, with this JVM's class path, its output in
 * {@code target/benchmark/<name>.log}. Stopped with SIGTERM (then SIGKILL after 30 s).
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static ChildJvm start(String name, Class<?> mainClass, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(ServiceProcess.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        try {
            Path log = Files.createDirectories(BenchmarkIT.OUTPUT).resolve(name + ".log");
            return new ChildJvm(
                    name,
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            System.out.println("=== benchmark: " + name + " ignored SIGTERM for 30 s; killing it");
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
