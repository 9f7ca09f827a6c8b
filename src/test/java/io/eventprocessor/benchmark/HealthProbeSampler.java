package io.eventprocessor.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls {@code /q/health/live} and {@code /q/health/ready} of a service, each every 50 ms over a
 * kept-alive connection, and records how long each answer took (milliseconds) and how many were not 200.
 */
final class HealthProbeSampler implements AutoCloseable {

    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ScheduledExecutorService probes = Executors.newScheduledThreadPool(2);
    private final Queue<Double> live = new ConcurrentLinkedQueue<>();
    private final Queue<Double> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger notOk = new AtomicInteger();

    HealthProbeSampler(int port) {
        schedule(URI.create("http://localhost:" + port + LIVE), live);
        schedule(URI.create("http://localhost:" + port + READY), ready);
    }

    private void schedule(URI uri, Queue<Double> latencies) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        probes.scheduleWithFixedDelay(() -> {
            long start = System.nanoTime();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                latencies.add((System.nanoTime() - start) / 1e6);
                if (status != 200) {
                    notOk.incrementAndGet();
                }
            } catch (IOException e) {
                notOk.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    List<Double> liveMillis() {
        return List.copyOf(live);
    }

    List<Double> readyMillis() {
        return List.copyOf(ready);
    }

    int notOk() {
        return notOk.get();
    }

    @Override
    public void close() throws InterruptedException {
        probes.shutdown();
        probes.awaitTermination(10, TimeUnit.SECONDS);
    }
}
