package io.eventprocessor.support;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Posts one keyless event after another to {@code POST /events} on its own thread until closed, and
 * remembers the id and partition of every accepted one. A {@code 503} with a JSON body and
 * {@code Retry-After} counts as a clean refusal; any other answer, or no answer within 30 s, is a failure.
 * A client {@linkplain #startHonouringRetryAfter honouring Retry-After} waits as long as it says after a refusal, and
 * counts a refused connection as a request that never reached the service (the instance is gone), not a failure;
 * a connection closed or reset once the request was sent stays a failure.
 */
public final class RestLoad implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client = HttpClient.newHttpClient();
    private final URI uri;
    private final String type;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final Set<Integer> partitions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unreached = new AtomicInteger();
    private final boolean honourRetryAfter;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private RestLoad(URI uri, String type, Duration pause, boolean honourRetryAfter) {
        this.uri = uri;
        this.type = type;
        this.honourRetryAfter = honourRetryAfter;
        this.thread = new Thread(() -> postUntilClosed(pause), "rest-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts posting events of the given type, pausing between two requests. */
    public static RestLoad start(URI uri, String type, Duration pause) {
        return new RestLoad(uri, type, pause, false);
    }

    /** Like {@link #start}, as a client of an instance that may shut down: see the class comment. */
    public static RestLoad startHonouringRetryAfter(URI uri, String type, Duration pause) {
        return new RestLoad(uri, type, pause, true);
    }

    /** Ids of the accepted events. */
    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    /** Partitions the accepted events were stored in. */
    public Set<Integer> partitions() {
        return Set.copyOf(partitions);
    }

    /** How many requests were refused with a clean {@code 503}. */
    public int refused() {
        return refused.get();
    }

    /** How many connections were refused (a client honouring Retry-After only): requests that never reached the service. */
    public int unreached() {
        return unreached.get();
    }

    /** Waits until at least {@code count} more requests have been refused with a clean {@code 503}. */
    public void awaitRefusals(int count, Duration timeout) {
        int target = refused.get() + count;
        Awaitility.await().atMost(timeout).until(() -> refused.get() >= target || failure.get() != null);
        assertNoFailure();
    }

    /** Waits until at least {@code count} more events have been accepted. */
    public void awaitMore(int count, Duration timeout) {
        int target = ids.size() + count;
        Awaitility.await().atMost(timeout).until(() -> ids.size() >= target || failure.get() != null);
        assertNoFailure();
    }

    /** Fails the test if any request was not accepted. */
    public void assertNoFailure() {
        if (failure.get() != null) {
            throw new AssertionError("POST /events failed: " + failure.get());
        }
    }

    /** Stops posting, and fails the test if a request after the last wait failed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(Duration.ofSeconds(30).toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the load still posts 30 s after close (a request hangs)");
        }
        assertNoFailure();
    }

    private static boolean isCleanRefusal(HttpResponse<String> response) {
        return response.statusCode() == 503
                && response.headers().firstValue("Retry-After").isPresent()
                && response.body().contains("\"status\":503");
    }

    private static Duration retryAfter(HttpResponse<String> response) {
        return Duration.ofSeconds(Long.parseLong(
                response.headers().firstValue("Retry-After").orElseThrow().trim()));
    }

    private static void pauseAfterRefusedConnection() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void postUntilClosed(Duration pause) {
        while (running) {
            String body = "{\"type\":\"" + type + "\",\"payload\":{\"sequence\":" + sequence.incrementAndGet() + "}}";
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (isCleanRefusal(response)) {
                    refused.incrementAndGet();
                    Thread.sleep(honourRetryAfter ? retryAfter(response).toMillis() : pause.toMillis());
                    continue;
                }
                if (response.statusCode() != 202) {
                    failure.compareAndSet(
                            null, java.time.Instant.now() + ": " + response.statusCode() + " " + response.body());
                    continue;
                }
                JsonNode accepted =
                        MAPPER.readTree(response.body()).path("accepted").get(0);
                ids.add(accepted.path("id").asText());
                partitions.add(accepted.path("partition").asInt());
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ConnectException e) {
                if (!honourRetryAfter) {
                    failure.compareAndSet(null, java.time.Instant.now() + ": " + e);
                    continue;
                }
                unreached.incrementAndGet();
                pauseAfterRefusedConnection();
            } catch (Exception e) {
                failure.compareAndSet(null, java.time.Instant.now() + ": " + e);
            }
        }
    }
}
