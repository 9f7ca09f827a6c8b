package io.eventprocessor.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the event processor, under the {@code processor} prefix. Every setting is listed with
 * its default and environment-variable form in the README's configuration table.
 */
@ConfigMapping(prefix = "processor")
public interface ProcessorConfig {

    /**
     * Name of this instance, written into every processed event ({@code processedBy}).
     * Defaults to the host name (the pod name in Kubernetes).
     */
    Optional<String> instanceId();

    /** Topic names. */
    Topics topics();

    /** The {@code POST /events} endpoint. */
    Ingest ingest();

    /** The optional demo generator (the original write-up's round-robin producer). */
    Generator generator();

    /** The in-process Kafka broker started by dev mode. */
    DevKafka devKafka();

    /** Topic names; the Kafka channels in {@code application.properties} use these. */
    interface Topics {

        /** Topic of incoming events: written by {@code POST /events}, read by the processor. */
        @WithDefault("events")
        String events();

        /** Topic the processor writes processed events to. */
        @WithDefault("events-processed")
        String processed();

        /** Dead-letter topic: records that could not be read or processed, with the reason in headers. */
        @WithDefault("events-dlq")
        String deadLetter();
    }

    /** Limits of {@code POST /events}. */
    interface Ingest {

        /** Largest request body accepted, in bytes; larger bodies get {@code 413}. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** Most events accepted in one JSON array. */
        @WithDefault("500")
        int maxBatchSize();

        /** How long a request waits for the broker to acknowledge its events before answering {@code 503}. */
        @WithDefault("10s")
        Duration ackTimeout();
    }

    /** Demo generator settings. */
    interface Generator {

        /** Whether the generator runs (on in dev mode, off otherwise). */
        @WithDefault("false")
        boolean enabled();

        /** Time between two generated events. */
        @WithDefault("1s")
        Duration interval();
    }

    /** Dev-mode broker settings; ignored outside dev mode. */
    interface DevKafka {

        /**
         * Whether dev mode starts an in-process broker when {@code kafka.bootstrap.servers} names a
         * local port (default {@code localhost:9092}) on which nothing listens yet.
         */
        @WithDefault("true")
        boolean enabled();

        /** Partition count of the events and processed topics when dev mode creates them. */
        @WithDefault("3")
        int partitions();

        /** Log directory of the in-process broker; kept across live reloads and restarts. */
        @WithDefault("target/dev-kafka")
        String dataDir();
    }
}
