package io.eventprocessor.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.eclipse.microprofile.config.Config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.event.RawJson;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;

/**
 * Checks at start-up that the limits configured in different places agree, and refuses to start, naming
 * the settings, when they contradict (or are out of range: no attempt at all, a negative back-off):
 * <ul>
 * <li>an event of {@code processor.ingest.max-event-bytes} fits the {@code max.request.size} of the
 * {@code events-out} producer, and its processed form (what the processor adds, for this instance and
 * these topic names) fits that of the {@code events-processed} producer: an accepted event can always
 * be processed;</li>
 * <li>{@code processor.ingest.max-body-bytes} is no more than {@code quarkus.http.limits.max-body-size},
 * so that a body the API allows is not cut off by the HTTP server first;</li>
 * <li>{@code quarkus.shutdown.timeout} is longer than {@code processor.ingest.ack-timeout}, so that on SIGTERM every
 * request in hand gets its answer before the server closes;</li>
 * <li>the longest a batch can wait in retry back-offs stays under half the connector's unprocessed-record
 * watchdog ({@code throttled.unprocessed-record-max-age.ms}), where a channel attribute turns it on (the service
 * turns it off: {@code kafka.KafkaClientSettings}), and under {@code processor.partitions.stall-timeout}.</li>
 * <li>{@code processor.ingest.max-in-flight-bytes} holds at least one body of {@code max-body-bytes}.</li>
 * </ul>
 * It warns, without refusing, when the memory bounds together could outgrow the heap ({@link #worstCaseBytes()}).
 */
@ApplicationScoped
public class LimitsCheck {

    /** Kafka's bound on what a record adds to its key and value in a batch of its own (header, lengths). */
    static final int RECORD_OVERHEAD = DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.MAX_RECORD_OVERHEAD;

    /** Kafka's defaults, as the clients of this build define them. */
    private static final Map<String, Object> PRODUCER_DEFAULTS =
            ProducerConfig.configDef().defaultValues();

    private static final Map<String, Object> CONSUMER_DEFAULTS =
            ConsumerConfig.configDef().defaultValues();

    /** Quarkus' {@code quarkus.http.limits.max-body-size} default (10240K), which no API of its exposes. */
    private static final long QUARKUS_MAX_BODY_SIZE = 10240 * 1024;
    /** What the service holds besides its bounded buffers: classes, caches, clients, threads' objects (measured idle). */
    static final long APPLICATION_BASELINE = 64L * 1024 * 1024;

    private final ProcessorConfig config;
    private final Config settings;
    private final InstanceName instance;
    private final ObjectMapper mapper;

    public LimitsCheck(ProcessorConfig config, Config settings, InstanceName instance, ObjectMapper mapper) {
        this.config = config;
        this.settings = settings;
        this.instance = instance;
        this.mapper = mapper;
    }

    void check(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        List<String> contradictions = contradictions();
        if (!contradictions.isEmpty()) {
            throw new IllegalStateException("Contradicting limits: " + String.join("; ", contradictions));
        }
        Log.debugf(
                "Limits agree: events up to %d bytes, bodies up to %d bytes",
                config.ingest().maxEventBytes(), config.ingest().maxBodyBytes());
        long heap = Runtime.getRuntime().maxMemory();
        long worstCase = worstCaseBytes();
        if (worstCase > heap) {
            Log.warnf(
                    "The memory bounds add up to about %d MiB at worst, more than the heap's %d MiB: a busy hour with "
                            + "the broker away could run out of memory. Lower processor.ingest.max-in-flight-bytes (%d, held about "
                            + "3 times), processor.batch-max-bytes (%d, held about 4 times) or the producers' buffer.memory (%d), "
                            + "or give the JVM more heap",
                    worstCase >> 20,
                    heap >> 20,
                    config.ingest().maxInFlightBytes(),
                    config.batchMaxBytes(),
                    bufferMemory(Channels.EVENTS_OUT) + bufferMemory(Channels.EVENTS_PROCESSED));
        }
    }

    /**
     * The most the bounded parts of the service may hold at once, with room for the rest of the application: request
     * bodies in hand about three times (body, events, stored forms), fetched records about four times (the fetch, two
     * queued polls, the batch's outputs), and both producers' buffers.
     */
    long worstCaseBytes() {
        return 3L * config.ingest().maxInFlightBytes()
                + 4L * config.batchMaxBytes()
                + bufferMemory(Channels.EVENTS_OUT)
                + bufferMemory(Channels.EVENTS_PROCESSED)
                + APPLICATION_BASELINE;
    }

    /** What contradicts, one sentence each naming the settings; empty when the limits agree. */
    List<String> contradictions() {
        List<String> found = new ArrayList<>();
        if (config.processing().maxAttempts() < 1) {
            found.add("processor.processing.max-attempts=" + config.processing().maxAttempts() + " must be at least 1");
        }
        if (config.processing().retryBackoff().isNegative()) {
            found.add("processor.processing.retry-backoff="
                    + config.processing().retryBackoff() + " must not be negative");
        }
        if (config.ingest().maxEventBytes() < 1 || config.ingest().maxBodyBytes() < 1) {
            found.add("processor.ingest.max-event-bytes=" + config.ingest().maxEventBytes()
                    + " and processor.ingest.max-body-bytes=" + config.ingest().maxBodyBytes() + " must be positive");
        }
        int maxEvent = config.ingest().maxEventBytes();
        int stored = maxEvent + RECORD_OVERHEAD;
        int eventsOut = maxRequestSize(Channels.EVENTS_OUT);
        if (stored > eventsOut) {
            found.add("processor.ingest.max-event-bytes=" + maxEvent + " needs a producer max.request.size of at least "
                    + stored + ", but " + maxRequestSizeSetting(Channels.EVENTS_OUT) + "=" + eventsOut);
        }
        int processed = stored + processedOverhead();
        int eventsProcessed = maxRequestSize(Channels.EVENTS_PROCESSED);
        if (processed > eventsProcessed) {
            found.add("processor.ingest.max-event-bytes=" + maxEvent + " makes processed records of up to " + processed
                    + " bytes, but " + maxRequestSizeSetting(Channels.EVENTS_PROCESSED) + "=" + eventsProcessed);
        }
        long httpLimit = settings.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue)
                .orElse(QUARKUS_MAX_BODY_SIZE);
        if (config.ingest().maxBodyBytes() > httpLimit) {
            found.add("processor.ingest.max-body-bytes=" + config.ingest().maxBodyBytes()
                    + " is more than quarkus.http.limits.max-body-size=" + httpLimit);
        }
        Optional<Duration> shutdownTimeout = settings.getOptionalValue("quarkus.shutdown.timeout", Duration.class);
        if (shutdownTimeout.isPresent()
                && shutdownTimeout.get().compareTo(config.ingest().ackTimeout()) <= 0) {
            found.add("quarkus.shutdown.timeout=" + shutdownTimeout.get()
                    + " must be longer than processor.ingest.ack-timeout="
                    + config.ingest().ackTimeout() + ", or requests waiting for the broker are cut off at shutdown");
        }
        String watchdog = ChannelAttributes.eventsIn(KafkaClientSettings.UNPROCESSED_RECORD_MAX_AGE);
        int maxAge = settings.getOptionalValue(watchdog, Integer.class).orElse(0);
        Duration retries = config.processing().longestRetryWait();
        if (throttledCommits() && maxAge > 0 && retries.toMillis() * 2 > maxAge) {
            found.add("processor.processing.max-attempts=" + config.processing().maxAttempts()
                    + " with processor.processing.retry-backoff="
                    + config.processing().retryBackoff()
                    + " holds a batch up to " + retries.toMillis() + " ms in back-offs, more than half of " + watchdog
                    + "="
                    + maxAge);
        }
        Duration commits = Duration.ofMillis(ChannelAttributes.channelOrShared(
                        settings,
                        ChannelAttributes.EVENTS_IN,
                        ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG,
                        Integer.class)
                .orElse((Integer) CONSUMER_DEFAULTS.get(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG)));
        Duration legitimate =
                retries.plus(commits).plus(config.partitions().checkInterval().multipliedBy(3));
        if (config.partitions().stallTimeout().compareTo(legitimate) <= 0) {
            found.add(
                    "processor.partitions.stall-timeout=" + config.partitions().stallTimeout()
                            + " must be longer than a batch's retry back-offs, the commit interval and three check intervals ("
                            + legitimate + "), or healthy partitions would look stalled");
        }
        if (config.ingest().maxInFlightBytes() < config.ingest().maxBodyBytes()) {
            found.add("processor.ingest.max-in-flight-bytes=" + config.ingest().maxInFlightBytes()
                    + " must be at least processor.ingest.max-body-bytes="
                    + config.ingest().maxBodyBytes());
        }
        if (config.ingest().bodyTimeout().isNegative()
                || config.ingest().bodyTimeout().isZero()) {
            found.add("processor.ingest.body-timeout=" + config.ingest().bodyTimeout() + " must be positive");
        }
        Duration grace = config.partitions().unownedGracePeriod();
        if (grace.compareTo(config.partitions().checkInterval().multipliedBy(3)) < 0) {
            found.add("processor.partitions.unowned-grace-period=" + grace + " must be at least three times "
                    + "processor.partitions.check-interval="
                    + config.partitions().checkInterval()
                    + ": a restart turn lasts one grace period less one check interval");
        }
        return found;
    }

    /** Bytes the processor adds to an event's JSON, at most, for this instance and these topic names. */
    int processedOverhead() {
        RawJson payload = new RawJson("0");
        Event event = new Event("", null, "", payload);
        ProcessedEvent widest = new ProcessedEvent(
                "",
                null,
                "",
                payload,
                new ProcessedEvent.Source(config.topics().events(), Integer.MIN_VALUE, Long.MIN_VALUE),
                Instant.MAX,
                instance.value());
        try {
            return mapper.writeValueAsBytes(widest).length - mapper.writeValueAsBytes(event).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot measure the processed form", e);
        }
    }

    private boolean throttledCommits() {
        return settings.getOptionalValue(ChannelAttributes.eventsIn(KafkaClientSettings.COMMIT_STRATEGY), String.class)
                .map("throttled"::equals)
                .orElse(true);
    }

    private long bufferMemory(String channel) {
        return ChannelAttributes.channelOrShared(
                        settings, ChannelAttributes.outgoing(channel), ProducerConfig.BUFFER_MEMORY_CONFIG, Long.class)
                .orElse((Long) PRODUCER_DEFAULTS.get(ProducerConfig.BUFFER_MEMORY_CONFIG));
    }

    private int maxRequestSize(String channel) {
        return ChannelAttributes.channelOrShared(
                        settings,
                        ChannelAttributes.outgoing(channel),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        Integer.class)
                .orElse((Integer) PRODUCER_DEFAULTS.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
    }

    private static String maxRequestSizeSetting(String channel) {
        return ChannelAttributes.outgoing(channel, ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }
}
