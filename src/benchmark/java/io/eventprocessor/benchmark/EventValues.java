package io.eventprocessor.benchmark;

import java.util.Locale;

/** Event JSON of a fixed size for the load runs. */
final class EventValues {

    private EventValues() {}

    /** A valid event of exactly {@code bytes} bytes (ASCII), with id {@code <prefix>-<n>}. */
    static String event(String idPrefix, long n, int bytes) {
        String head = String.format(
                Locale.ROOT,
                "{\"id\":\"%s-%d\",\"type\":\"benchmark.reading\",\"payload\":{\"seq\":%d,\"note\":\"",
                idPrefix,
                n,
                n);
        String tail = "\"}}";
        int padding = Math.max(0, bytes - head.length() - tail.length());
        return head + "x".repeat(padding) + tail;
    }

    /** A JSON array of {@code count} request events (no id: the service assigns one), each about {@code bytes}. */
    static String requestBatch(long firstSeq, int count, int bytes) {
        StringBuilder batch = new StringBuilder(count * (bytes + 1) + 2).append('[');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                batch.append(',');
            }
            String head = "{\"type\":\"benchmark.ingest\",\"payload\":{\"seq\":" + (firstSeq + i) + ",\"note\":\"";
            batch.append(head)
                    .append("x".repeat(Math.max(0, bytes - head.length() - 3)))
                    .append("\"}}");
        }
        return batch.append(']').toString();
    }
}
