package io.eventprocessor.reliability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.PrometheusScrape;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A flood of batches while the broker cannot take them: once {@code processor.ingest.max-in-flight}
 * events wait for the broker, requests are refused at once with {@code 503} and {@code Retry-After}
 * (never a {@code 500}, never a hang), so memory stays bounded; when the broker is back the service
 * accepts and processes events again.
 */
@QuarkusTest
@TestProfile(BackpressureTest.Profile.class)
@WithTestResource(RestartableBrokerResource.class)
class BackpressureTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS_PER_CLIENT = 25;
    private static final int BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(IsolatedPipeline.FAST_OWNERSHIP_CHECKS);
            config.put("processor.ingest.ack-timeout", "1s");
            config.put("processor.ingest.max-in-flight", "64");
            return config;
        }
    }

    @TestHTTPResource("/events")
    URL eventsUrl;

    @Test
    void floodIsRefusedCleanlyWhileTheBrokerIsAwayAndTheServiceRecovers() throws Exception {
        RestartableBrokerResource.stopBroker();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger withoutRetryAfter = new AtomicInteger();
        HttpClient client = HttpClient.newHttpClient();
        String batch = IntStream.range(0, BATCH)
                .mapToObj(i -> "{\"type\":\"flood\",\"payload\":" + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(() -> {
                for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create(eventsUrl.toString()))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(batch))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                            .incrementAndGet();
                    if (response.statusCode() == 503
                            && response.headers().firstValue("Retry-After").isEmpty()) {
                        withoutRetryAfter.incrementAndGet();
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(5, TimeUnit.MINUTES))
                .as("every client got its answers")
                .isTrue();
        double heapMb = PrometheusScrape.sum("jvm_memory_used_bytes", Map.of("area", "heap")) / 1_048_576;
        System.out.printf(
                "BackpressureTest: answers %s; heap of the whole test JVM (service, broker, test) after the flood %.0f MB%n",
                statuses, heapMb);

        assertThat(statuses.keySet()).containsOnly(503);
        assertThat(statuses.get(503)).hasValue(CLIENTS * REQUESTS_PER_CLIENT);
        assertThat(withoutRetryAfter).hasValue(0);

        RestartableBrokerResource.startBroker();
        Awaitility.await("accepting again")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().contentType("application/json")
                                .body("{\"id\":\"after-flood\",\"type\":\"t\",\"payload\":1}")
                                .post("/events")
                                .statusCode()
                        == 202);
        try (KafkaCompanion companion = RestartableBrokerResource.companion()) {
            TopicRecords.awaitIds(companion, "events-processed", Set.of("after-flood"), TIMEOUT);
        }
    }
}
