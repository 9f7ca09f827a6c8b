package io.eventprocessor.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.ProcessorConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Limits set in different places must agree; the defaults do, and each contradiction is named. */
class LimitsCheckUnitTest {

    private static LimitsCheck check(Map<String, String> settings) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withDefaultValues(settings)
                .build();
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new LimitsCheck(
                config.getConfigMapping(ProcessorConfig.class),
                config,
                new InstanceName("event-processor-7d9f8c6b5-x2x4z"),
                mapper);
    }

    @Test
    void theDefaultsAgree() {
        assertThat(check(Map.of()).contradictions()).isEmpty();
    }

    @Test
    void anEventLimitTheProcessedProducerCannotWriteIsNamed() {
        assertThat(check(Map.of("processor.ingest.max-event-bytes", "1048400")).contradictions())
                .singleElement()
                .asString()
                .contains("processor.ingest.max-event-bytes=1048400")
                .contains("mp.messaging.outgoing.events-processed.max.request.size=1048576");
    }

    @Test
    void anEventLimitTheIngestProducerCannotWriteIsNamed() {
        assertThat(check(Map.of("processor.ingest.max-event-bytes", "2000000")).contradictions())
                .anySatisfy(problem ->
                        assertThat(problem).contains("mp.messaging.outgoing.events-out.max.request.size=1048576"));
    }

    @Test
    void largerProducerRequestsAllowLargerEvents() {
        assertThat(check(Map.of("processor.ingest.max-event-bytes", "2000000", "kafka.max.request.size", "2100000"))
                        .contradictions())
                .isEmpty();
    }

    @Test
    void aBodyLimitOverTheHttpServersIsNamed() {
        assertThat(check(Map.of(
                                "processor.ingest.max-body-bytes",
                                "20000000",
                                "processor.ingest.max-in-flight-bytes",
                                "20000000"))
                        .contradictions())
                .singleElement()
                .asString()
                .contains("processor.ingest.max-body-bytes=20000000")
                .contains("quarkus.http.limits.max-body-size");
    }

    @Test
    void anInFlightByteBoundBelowOneBodyIsNamed() {
        assertThat(check(Map.of("processor.ingest.max-in-flight-bytes", "1000")).contradictions())
                .singleElement()
                .asString()
                .isEqualTo(
                        "processor.ingest.max-in-flight-bytes=1000 must be at least processor.ingest.max-body-bytes=1048576");
    }

    @Test
    void theDefaultsFitTheManifestsHeap() {
        assertThat(check(Map.of()).worstCaseBytes())
                .as("bytes at worst, against the manifest's 256 MiB heap")
                .isLessThan(256L * 1024 * 1024);
    }

    @Test
    void aShutdownTimeoutNoLongerThanTheAckTimeoutIsNamed() {
        assertThat(check(Map.of("quarkus.shutdown.timeout", "10s")).contradictions())
                .singleElement()
                .asString()
                .contains("quarkus.shutdown.timeout=PT10S")
                .contains("processor.ingest.ack-timeout=PT10S");
        assertThat(check(Map.of("quarkus.shutdown.timeout", "15s")).contradictions())
                .isEmpty();
    }

    @Test
    void retriesThatCouldTripTheConnectorsWatchdogWhereItIsTurnedOnAreNamed() {
        assertThat(check(Map.of("processor.processing.max-attempts", "10", "processor.processing.retry-backoff", "1s"))
                        .contradictions())
                .as("watchdog off by default")
                .isEmpty();
        assertThat(check(Map.of(
                                "processor.processing.max-attempts",
                                "10",
                                "processor.processing.retry-backoff",
                                "1s",
                                "mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms",
                                "60000"))
                        .contradictions())
                .singleElement()
                .asString()
                .contains("processor.processing.max-attempts=10")
                .contains("mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms=60000");
        assertThat(check(Map.of(
                                "processor.processing.max-attempts",
                                "10",
                                "processor.processing.retry-backoff",
                                "1s",
                                "mp.messaging.incoming.events-in.throttled.unprocessed-record-max-age.ms",
                                "0"))
                        .contradictions())
                .as("watchdog off")
                .isEmpty();
    }

    @Test
    void aGracePeriodTooShortForARestartTurnIsNamed() {
        assertThat(check(Map.of("processor.partitions.unowned-grace-period", "15s"))
                        .contradictions())
                .isEmpty();
        assertThat(check(Map.of("processor.partitions.unowned-grace-period", "14s"))
                        .contradictions())
                .singleElement()
                .asString()
                .startsWith("processor.partitions.unowned-grace-period=PT14S must be at least three times "
                        + "processor.partitions.check-interval=PT5S");
    }

    @Test
    void settingsOutOfRangeAreNamed() {
        assertThat(check(Map.of("processor.processing.max-attempts", "0", "processor.processing.retry-backoff", "-1s"))
                        .contradictions())
                .anySatisfy(problem ->
                        assertThat(problem).isEqualTo("processor.processing.max-attempts=0 must be at least 1"))
                .anySatisfy(problem ->
                        assertThat(problem).contains("processor.processing.retry-backoff=PT-1S must not be negative"));
    }

    @Test
    void aBatchWaitsOneBackOffPerRoundDoublingUpToTenTimes() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(ProcessorConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValues(Map.of("processor.processing.max-attempts", "7"))
                .build();
        ProcessorConfig.Processing policy =
                config.getConfigMapping(ProcessorConfig.class).processing();
        assertThat(policy.retryWaits())
                .extracting(Duration::toMillis)
                .containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L);
        assertThat(policy.longestRetryWait()).isEqualTo(Duration.ofMillis(7000));
    }

    @Test
    void startUpIsRefusedNamingTheSettings() {
        assertThatThrownBy(() -> check(Map.of("processor.ingest.max-event-bytes", "1048400"))
                        .check(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Contradicting limits: processor.ingest.max-event-bytes=1048400");
    }
}
