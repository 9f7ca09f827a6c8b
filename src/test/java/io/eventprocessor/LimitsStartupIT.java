package io.eventprocessor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eventprocessor.support.ServiceProcess;

/**
 * The packaged jar refuses to start, naming the settings, when its limits contradict: an event limit the
 * producers cannot write, or retries that could outlast the stall timeout.
 */
class LimitsStartupIT {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void anEventLimitOverTheProducersRequestSizeStopsTheStart() throws Exception {
        try (ServiceProcess service = ServiceProcess.launch(
                "limits-event", "localhost:9", Map.of("PROCESSOR_INGEST_MAX_EVENT_BYTES", "2000000"))) {
            assertThat(service.awaitExit(BOUND)).isNotZero();
            assertThat(service.output())
                    .contains("Contradicting limits: processor.ingest.max-event-bytes=2000000")
                    .contains("mp.messaging.outgoing.events-out.max.request.size=1048576");
        }
    }

    @Test
    void retriesLongerThanTheStallTimeoutStopTheStart() throws Exception {
        try (ServiceProcess service = ServiceProcess.launch(
                "limits-retries",
                "localhost:9",
                Map.of("PROCESSOR_PROCESSING_MAX_ATTEMPTS", "20", "PROCESSOR_PROCESSING_RETRY_BACKOFF", "2s"))) {
            assertThat(service.awaitExit(BOUND)).isNotZero();
            assertThat(service.output())
                    .contains("processor.partitions.stall-timeout=PT5M must be longer than a batch's "
                            + "retry back-offs");
        }
    }
}
