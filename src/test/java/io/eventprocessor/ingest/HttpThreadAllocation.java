package io.eventprocessor.ingest;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated so far by the threads that serve HTTP in this JVM (Vert.x event loops, Quarkus and
 * Vert.x workers), from the JVM's per-thread allocation counters: what reading request bodies costs.
 */
final class HttpThreadAllocation {

    private HttpThreadAllocation() {}

    static long bytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName();
            if (name.startsWith("vert.x-eventloop-thread-")
                    || name.startsWith("executor-thread-")
                    || name.startsWith("vert.x-worker-thread-")) {
                total += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
            }
        }
        return total;
    }
}
