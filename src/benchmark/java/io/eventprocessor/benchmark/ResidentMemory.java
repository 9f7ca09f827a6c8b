package io.eventprocessor.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples a process's resident set size (VmRSS in /proc) every 250 ms and keeps the peak. */
final class ResidentMemory implements AutoCloseable {

    private final long pid;
    private final AtomicLong peakKiB = new AtomicLong();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    private ResidentMemory(long pid) {
        this.pid = pid;
    }

    static ResidentMemory watch(long pid) {
        ResidentMemory memory = new ResidentMemory(pid);
        memory.sampler.scheduleAtFixedRate(
                () -> memory.peakKiB.accumulateAndGet(kibOf(pid), Math::max), 0, 250, TimeUnit.MILLISECONDS);
        return memory;
    }

    /** The current resident set size of a process in MiB, or 0 if it cannot be read (not Linux, process gone). */
    static double mibOf(long pid) {
        return kibOf(pid) / 1024.0;
    }

    double peakMib() {
        peakKiB.accumulateAndGet(kibOf(pid), Math::max);
        return peakKiB.get() / 1024.0;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private static long kibOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone or not Linux
        }
        return 0;
    }
}
