package io.eventprocessor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Clients that send a request's headers and then its body a byte now and then (slowloris) cannot hold the
 * service's memory or connections: each body that has not arrived {@code processor.ingest.body-timeout} (here 2 s)
 * after the request started is answered {@code 408} with the API's JSON, and its connection closed.
 */
@QuarkusTest
@TestProfile(SlowBodyTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class SlowBodyTest {

    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    private static final int CLIENTS = 20;

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("processor.ingest.body-timeout", BODY_TIMEOUT.toSeconds() + "s");
        }
    }

    @TestHTTPResource("/events")
    URL eventsUrl;

    @Test
    void bodiesThatStopArrivingAreCutOffWith408() throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket socket = new Socket(eventsUrl.getHost(), eventsUrl.getPort());
                socket.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(10).toMillis());
                OutputStream out = socket.getOutputStream();
                out.write(("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 1000\r\n\r\n{\"type\":")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                clients.add(socket);
            }
            for (Socket socket : clients) {
                String answer = readToClose(socket.getInputStream());
                assertThat(answer)
                        .startsWith("HTTP/1.1 408")
                        .containsIgnoringCase("connection: close")
                        .contains("\"status\":408")
                        .contains("processor.ingest.body-timeout=2s");
            }
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
        }
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
