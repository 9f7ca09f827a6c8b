package io.eventprocessor.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the event processor, under the {@code processor} prefix. Every setting is listed with
 * its default and environment-variable form in the README's configuration table.
 */
@ConfigMapping(prefix = "processor")
public interface ProcessorConfig {

    /** The Kafka connector's {@code bootstrap.servers} when {@code kafka.bootstrap.servers} is not set. */
    String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

    /**
     * Name of this instance, written into every processed event ({@code processedBy}).
     * Defaults to the host name (the pod name in Kubernetes).
     */
    Optional<String> instanceId();

    /**
     * Delivery from the consumed topics to the processed and dead-letter topics: {@code at-least-once}
     * (outputs stored, then the input committed: a crash or rebalance may write an output twice) or
     * {@code exactly-once} (outputs and input offsets in one Kafka transaction per batch: readers with
     * {@code isolation.level=read_committed} see each output once). See docs/design.md, "Delivery guarantees".
     */
    @WithDefault("at-least-once")
    Delivery delivery();

    /**
     * Records per poll ({@code max.poll.records} of the {@code events-in} consumer), so the largest batch the
     * processor takes at once and commits together: exactly-once, the largest transaction. Defaults to 500
     * (Kafka's default) at-least-once and 2000 exactly-once, where each transaction's round trips would
     * otherwise halve throughput (docs/performance.md); a quiet topic gives small batches either way.
     */
    Optional<Integer> batchSize();

    /**
     * Most bytes the {@code events-in} consumer fetches in one request ({@code fetch.max.bytes}; Kafka's default is
     * 50 MiB), so what a batch and the polls queued behind it hold in memory: records arrive only as fast as the
     * processor takes them. A record larger than it is still fetched, alone.
     */
    @WithDefault("8388608")
    int batchMaxBytes();

    /** Topic names. */
    Topics topics();

    /** The {@code POST /events} endpoint. */
    Ingest ingest();

    /** The optional demo generator: keyless events at a fixed interval, for local runs. */
    Generator generator();

    /** The in-process Kafka broker started by dev mode. */
    DevKafka devKafka();

    /** Partition safety: group protocol, assignor, discovery of new partitions, ownership checks. */
    Partitions partitions();

    /** Retries of the processing step. */
    Processing processing();

    /** Per-key order through topic growth (docs/design.md, "Key order through growth"). */
    KeyOrder keyOrder();

    /**
     * Per-key order through topic growth: a record whose key a growth moved to another partition waits until the
     * key's records written before, on the partition it left, are processed; other keys and keyless records flow.
     */
    interface KeyOrder {

        /**
         * Whether moved keys wait for their earlier records. Off, a growth may process a moved key's new records
         * before its old ones (as any Kafka consumer does), with no wait.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The longest any producer of the consumed topics takes, after a growth, to send a moved key to its new
         * partition and have the last send to the old one stored: its {@code metadata.max.age.ms} (Kafka's default 5
         * minutes) plus its sends in flight. A moved key's records wait at least this long after the growth is seen.
         * When only {@code POST /events} writes a topic, its producer refreshes every
         * {@code processor.partitions.metadata-max-age}, and a few seconds suffice.
         */
        @WithDefault("5m")
        Duration producerRefresh();

        /**
         * Longest a key is held: then its records are processed, counted in
         * {@code event_processor.key_order.given_up} and logged, so that no fault elsewhere stops a key for good.
         */
        @WithDefault("30m")
        Duration maxHold();

        /** The compacted topic (one partition) keeping each consumed topic's partition counts and since when. */
        @WithDefault("event-processor-growth")
        String growthTopic();
    }

    /** Retry policy for failures of the processing step (records that cannot be read are never retried). */
    interface Processing {

        /** Attempts in all, the first included, before a record goes to the dead-letter topic. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry; it doubles with each retry, up to 10 times this value. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** The wait before each retry, in order: {@link #retryBackoff()}, doubling, at most 10 times it. */
        default List<Duration> retryWaits() {
            List<Duration> waits = new ArrayList<>();
            Duration longest = retryBackoff().multipliedBy(10);
            Duration wait = retryBackoff();
            for (int retry = 1; retry < maxAttempts(); retry++) {
                waits.add(wait);
                wait = wait.multipliedBy(2).compareTo(longest) > 0 ? longest : wait.multipliedBy(2);
            }
            return waits;
        }

        /** The longest a batch waits in back-offs: every wait of {@link #retryWaits()}. */
        default Duration longestRetryWait() {
            return retryWaits().stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    /**
     * Topic names. The Kafka channels take theirs from here ({@code kafka.KafkaClientSettings}); a channel attribute
     * naming a topic refuses start-up ({@code kafka.ChannelAttributesCheck}).
     */
    interface Topics {

        /** The topic {@code POST /events} and the demo generator write to; read by the processor unless {@code consume} or {@code consume-pattern} says otherwise. */
        @WithDefault("events")
        String events();

        /**
         * The topics the processor reads, when not only {@link #events()}: a list, e.g. {@code orders,payments}. Not
         * together with {@link #consumePattern()}.
         */
        Optional<List<String>> consume();

        /**
         * A regular expression (Java syntax, matching whole names): the processor reads every topic it matches, topics
         * created while it runs included (from their first offset). Not together with {@link #consume()}.
         */
        Optional<String> consumePattern();

        /**
         * The topic processed events go to; {@value OutputTopics#INPUT_PLACEHOLDER} in it stands for the input
         * topic of each, e.g. {@code {topic}-processed}.
         */
        @WithDefault("events-processed")
        String processed();

        /**
         * Dead-letter topic: records that could not be read or processed, with the reason in headers;
         * {@value OutputTopics#INPUT_PLACEHOLDER} stands for the input topic of each, e.g. {@code {topic}-dlq}.
         */
        @WithDefault("events-dlq")
        String deadLetter();
    }

    /** Limits of {@code POST /events}. */
    interface Ingest {

        /** Largest request body accepted, in bytes; larger bodies get {@code 413}. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /**
         * Largest stored form of one event (its JSON on topic {@code events} plus its key), in bytes; a larger
         * event gets {@code 413}. Checked at start-up against the producers' {@code max.request.size}, with
         * room for what the processor adds ({@code source}, {@code processedAt}, {@code processedBy}), so that
         * an accepted event can always be written again as a processed one.
         */
        @WithDefault("1000000")
        int maxEventBytes();

        /** Most events accepted in one JSON array. */
        @WithDefault("500")
        int maxBatchSize();

        /** How long a request waits for the broker to acknowledge its events before answering {@code 503}. */
        @WithDefault("10s")
        Duration ackTimeout();

        /**
         * Most events that may wait for the broker's acknowledgement at a time, over all requests; a request
         * that would exceed it is refused at once with {@code 503} (one request is always let through).
         */
        @WithDefault("1024")
        int maxInFlight();

        /**
         * Most request-body bytes held at a time, over all requests, from the first byte read until the answer:
         * the body, the events parsed from it and their stored forms waiting for the broker (about three times the
         * body in memory). A request that would go over it is read to its end without being kept and answered
         * {@code 503} with {@code Retry-After} (one request is always let through). At least
         * {@code max-body-bytes} (checked at start-up).
         */
        @WithDefault("16777216")
        int maxInFlightBytes();

        /**
         * How long a request body may take to arrive, from its first byte to its last; a slower one is answered
         * {@code 408} and its connection closed, so a client that sends a byte now and then cannot hold memory or a
         * connection for long.
         */
        @WithDefault("30s")
        Duration bodyTimeout();

        /**
         * Whether {@code POST /events} takes requests without a bearer token. Off by default outside dev mode and
         * tests: the service then does not start without the token verification settings ({@code mp.jwt.verify.*}).
         * Turning it on is logged at WARN at start-up.
         */
        @WithDefault("false")
        boolean allowAnonymous();

        /** The role (a {@code groups} claim of the caller's JWT) that may post events. */
        @WithDefault("events-writer")
        String writerRole();
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

    /** Partition-safety settings. */
    interface Partitions {

        /**
         * Consumer group protocol: {@code auto} (the consumer protocol where the cluster supports it, Kafka 4.0
         * and later; classic elsewhere, or when the cluster cannot be asked at start-up), {@code consumer}
         * (KIP-848: the broker's coordinator assigns, and reassigns as soon as a topic grows; start-up fails on
         * a cluster without it) or {@code classic} (the client-side assignors).
         */
        @WithDefault("auto")
        GroupProtocol groupProtocol();

        /**
         * Partition assignor. With the consumer protocol a server-side assignor: {@code uniform}
         * (default) or {@code range}. With the classic protocol a client assignor: {@code range},
         * {@code roundrobin}, {@code sticky} or {@code cooperative-sticky} (default).
         */
        Optional<Assignor> assignor();

        /**
         * How often the consumer and the producer refresh topic metadata (Kafka's default: 5 min).
         * With the classic protocol this bounds how long a new partition waits for an owner (plus the
         * rebalance). One metadata request per second and client costs a broker next to nothing.
         */
        @WithDefault("1s")
        Duration metadataMaxAge();

        /**
         * Whether a partition that is new to the group (no committed offset while the group has committed offsets on
         * a partition of a consumed topic: the topic grew, or it was added to the list or began to match the pattern)
         * starts at its earliest offset, whatever {@code auto.offset.reset} says.
         */
        @WithDefault("true")
        boolean newPartitionsFromEarliest();

        /** How long a partition may stay without an owner before liveness goes DOWN. */
        @WithDefault("60s")
        Duration unownedGracePeriod();

        /**
         * How long an owned partition with lag may keep the same committed offset, with no record through its
         * owner's processing step, before it counts as stalled: the liveness of its owner goes DOWN. Longer than the
         * longest a record may legitimately take in the step, and than a batch's retry back-offs, the commit interval
         * and a few check intervals (checked at start-up).
         */
        @WithDefault("5m")
        Duration stallTimeout();

        /** How often the ownership view is refreshed from the broker, in the background. */
        @WithDefault("5s")
        Duration checkInterval();

        /** Bound on each broker call of one refresh; a refresh that fails marks the broker unreachable. */
        @WithDefault("5s")
        Duration checkTimeout();

        /**
         * Consumer group whose ownership is checked; defaults to the group of the {@code events-in}
         * channel. Only tests and unusual deployments change it.
         */
        Optional<String> monitoredGroup();
    }

    /** Delivery guarantees of the processor's output. */
    enum Delivery {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    /** Consumer group protocols (Kafka's {@code group.protocol}). */
    enum GroupProtocol {
        AUTO,
        CONSUMER,
        CLASSIC
    }

    /** Partition assignors, server-side (consumer protocol) or client-side (classic protocol). */
    enum Assignor {
        UNIFORM,
        RANGE,
        ROUNDROBIN,
        STICKY,
        COOPERATIVE_STICKY
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
