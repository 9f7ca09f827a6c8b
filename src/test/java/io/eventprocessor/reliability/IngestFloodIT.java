package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.ServiceProcess;
import io.eventprocessor.support.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A busy hour during a broker outage, on the packaged jar at the manifest's heap ({@code -Xmx256m}): 200 clients at
 * once each post a 900 KB event while the broker is away. Every request gets a whole JSON answer, {@code 503} (the
 * memory bound or the ack timeout), the process stays up and live; once the broker is back, the same flood is
 * answered {@code 202} or {@code 503}, and every event answered {@code 202} is on the topic and processed.
 */
class IngestFloodIT {

    private static final int CLIENTS = 200;
    private static final int EVENT_BYTES = 900_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aFloodOfLargeEventsDuringAnOutageIsAnsweredAndNothingAcceptedIsLost() throws Exception {
        RestartableBrokerResource broker = new RestartableBrokerResource();
        String bootstrap = broker.start().get("kafka.bootstrap.servers");
        try (ServiceProcess service = ServiceProcess.start(
                "ingest-flood",
                bootstrap,
                IsolatedPipeline.processEnvironment("events", "ingest-flood-group", Map.of()))) {
            RestartableBrokerResource.stopBroker();
            List<HttpResponse<String>> duringOutage = flood(service, "outage");
            assertThat(duringOutage)
                    .extracting(HttpResponse::statusCode)
                    .as("answers during the outage")
                    .containsOnly(503);
            assertThat(service.status("/q/health/live"))
                    .as("live after the flood")
                    .isEqualTo(200);

            RestartableBrokerResource.startBroker();
            service.awaitReady(TIMEOUT);
            List<HttpResponse<String>> afterwards = flood(service, "back");
            assertThat(afterwards)
                    .extracting(HttpResponse::statusCode)
                    .as("answers with the broker back")
                    .containsOnly(202, 503)
                    .contains(202);
            Set<String> accepted = new HashSet<>();
            for (HttpResponse<String> answer : afterwards) {
                if (answer.statusCode() == 202) {
                    accepted.add(json.readTree(answer.body())
                            .path("accepted")
                            .path(0)
                            .path("id")
                            .asText());
                }
            }
            System.out.printf(
                    "IngestFloodIT: %d clients x %d bytes: outage %s; broker back %s%n",
                    CLIENTS, EVENT_BYTES, statuses(duringOutage), statuses(afterwards));
            try (KafkaCompanion companion = RestartableBrokerResource.companion()) {
                TopicRecords.awaitIds(companion, "events-processed", accepted, TIMEOUT);
            }
            assertThat(service.status("/q/health/live")).isEqualTo(200);
        } finally {
            broker.stop();
        }
    }

    /** {@link #CLIENTS} requests at once, one event each; every answer must be whole JSON naming its status. */
    private List<HttpResponse<String>> flood(ServiceProcess service, String round) throws Exception {
        String filler = "x".repeat(EVENT_BYTES);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String body =
                        "{\"id\":\"flood-" + round + "-" + i + "\",\"type\":\"big\",\"payload\":\"" + filler + "\"}";
                answers.add(clients.submit(() -> service.postEvents(body, null)));
            }
            List<HttpResponse<String>> results = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                JsonNode error = json.readTree(response.body());
                if (response.statusCode() != 202) {
                    assertThat(error.path("status").asInt())
                            .as("JSON status of %s", response.body())
                            .isEqualTo(response.statusCode());
                }
                results.add(response);
            }
            return results;
        } finally {
            clients.shutdownNow();
        }
    }

    private static Map<Integer, Long> statuses(List<HttpResponse<String>> answers) {
        return answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    }
}
