package io.eventprocessor.support;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.eventprocessor.config.InstanceName;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.processing.EventEnricher;

/**
 * The processing step as the tests script it, by event type: {@code flaky} fails its first two attempts, {@code broken}
 * every one, {@code slow} takes {@link #SLOW_STEP}, {@code hang} blocks until {@link #release()} (or a minute); any other
 * type is enriched as in production. Counts the attempts of each event id.
 */
public class ScriptedEnricher extends EventEnricher {

    /** How long the step takes on an event of type {@code slow}. */
    public static final Duration SLOW_STEP = Duration.ofMillis(400);

    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);

    public ScriptedEnricher(InstanceName instance) {
        super(instance, Clock.systemUTC());
    }

    @Override
    public ProcessedEvent enrich(Event event, ConsumerRecord<byte[], byte[]> record) {
        int attempt =
                attempts.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
        switch (event.type()) {
            case "broken" -> throw new IllegalStateException("downstream unavailable (attempt " + attempt + ")");
            case "flaky" -> {
                if (attempt < 3) {
                    throw new IllegalStateException("downstream unavailable (attempt " + attempt + ")");
                }
            }
            case "slow" -> pause(() -> Thread.sleep(SLOW_STEP.toMillis()));
            case "hang" -> pause(() -> release.await(1, TimeUnit.MINUTES));
            default -> {}
        }
        return super.enrich(event, record);
    }

    /** Attempts of the step on the event with this id so far. */
    public int attempts(String eventId) {
        AtomicInteger count = attempts.get(eventId);
        return count == null ? 0 : count.get();
    }

    /** Attempts of the step on every event so far, by id. */
    public Map<String, Integer> attempts() {
        Map<String, Integer> all = new ConcurrentHashMap<>();
        attempts.forEach((id, count) -> all.put(id, count.get()));
        return all;
    }

    /** Lets every {@code hang} event through, now and from now on. */
    public void release() {
        release.countDown();
    }

    private interface Wait {
        void run() throws InterruptedException;
    }

    private static void pause(Wait wait) {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
