package io.eventprocessor.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.kafka.ChannelProducer;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.tracing.TraceHeaders;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * Writes events to topic {@code events} with the producer of channel {@code events-out} and completes
 * only once the broker has acknowledged every one of them, with the partition and offset it stored
 * each at.
 * <p>
 * A request's events are handed to the producer together, in order, on the channel's sending thread
 * (one hand-over per request, not per event; keyed events keep their order), and never block the
 * event loop. At most {@code processor.ingest.max-in-flight} events wait for the broker at a time:
 * beyond that a request is refused at once, so memory stays bounded when the broker is slow or away.
 */
@ApplicationScoped
public class EventPublisher {

    private final ChannelProducer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final String topic;
    private final ProcessorConfig.Ingest limits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final TraceHeaders traces;

    public EventPublisher(
            @Identifier(Channels.EVENTS_OUT) ChannelProducer<String, byte[]> producer,
            ObjectMapper mapper,
            ProcessorConfig config,
            TraceHeaders traces) {
        this.producer = producer;
        this.traces = traces;
        this.mapper = mapper;
        this.topic = config.topics().events();
        this.limits = config.ingest();
    }

    /**
     * Sends the events in order and waits for every acknowledgement, bounded by
     * {@code processor.ingest.ack-timeout}.
     *
     * @return where each event was stored, in the given order
     * @throws EventRefusedException when an event is over {@code processor.ingest.max-event-bytes} (nothing is
     *         sent), or (as the Uni's failure) when the broker refused one as too large or invalid for the topic
     * @throws PublishFailedException (as the Uni's failure) when any event was not acknowledged in time,
     *         or too many events already wait for the broker; it lists the events that were stored
     */
    public Uni<List<AcceptedEvent>> publish(List<Event> events) {
        List<byte[]> values = encode(events);
        int waiting = inFlight.getAndAdd(events.size());
        if (waiting > 0 && waiting + events.size() > limits.maxInFlight()) {
            inFlight.addAndGet(-events.size());
            return Uni.createFrom()
                    .failure(new PublishFailedException(
                            waiting + " events already wait for the broker " + "(processor.ingest.max-in-flight="
                                    + limits.maxInFlight() + ")",
                            List.of(),
                            null));
        }
        List<CompletableFuture<AcceptedEvent>> acks = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            CompletableFuture<AcceptedEvent> ack = new CompletableFuture<>();
            // An event stops counting when its acknowledgement completes, which happens exactly once.
            ack.whenComplete((stored, failure) -> inFlight.decrementAndGet());
            acks.add(ack);
        }
        // The request's trace context, read here: the sends run on the channel's sending thread.
        Headers trace = traces.ofCurrentContext();
        handOver(acks, kafka -> sendAll(kafka, events, values, trace, acks));
        // The ack timeout runs from now, whether or not the sending thread has taken the events yet: it may be
        // held up by an earlier request's send waiting for metadata while the broker is away.
        return Uni.createFrom()
                .completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
                .ifNoItem()
                .after(limits.ackTimeout())
                .fail()
                .onItemOrFailure()
                .transformToUni((done, failure) -> outcome(events, acks, failure));
    }

    /** Queues the sends on the channel's sending thread; if they cannot be queued, none of the events is sent. */
    private void handOver(List<CompletableFuture<AcceptedEvent>> acks, Consumer<Producer<String, byte[]>> sends) {
        try {
            producer.get()
                    .runOnSendingThread(sends)
                    .subscribe()
                    .with(sent -> {}, failure -> acks.forEach(ack -> ack.completeExceptionally(failure)));
        } catch (RuntimeException failure) {
            acks.forEach(ack -> ack.completeExceptionally(failure));
        }
    }

    /** Each event's stored form, checked against {@code processor.ingest.max-event-bytes} before anything is sent. */
    private List<byte[]> encode(List<Event> events) {
        List<byte[]> values = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            byte[] value;
            try {
                value = mapper.writeValueAsBytes(event);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write event " + event.id() + " as JSON", e);
            }
            long stored =
                    value.length + (event.key() == null ? 0 : event.key().getBytes(StandardCharsets.UTF_8).length);
            if (stored > limits.maxEventBytes()) {
                throw new EventRefusedException(
                        413,
                        (events.size() == 1 ? "the event" : "event [" + i + "]") + " takes "
                                + stored + " bytes when stored, over processor.ingest.max-event-bytes="
                                + limits.maxEventBytes()
                                + "; nothing was accepted",
                        List.of());
            }
            values.add(value);
        }
        return values;
    }

    private void sendAll(
            Producer<String, byte[]> kafka,
            List<Event> events,
            List<byte[]> values,
            Headers trace,
            List<CompletableFuture<AcceptedEvent>> acks) {
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            CompletableFuture<AcceptedEvent> ack = acks.get(i);
            if (ack.isDone()) {
                // The request was already answered (ack timeout): its client was told the event is not stored.
                continue;
            }
            try {
                kafka.send(new ProducerRecord<>(topic, null, event.key(), values.get(i), trace), (stored, failure) -> {
                    if (failure == null) {
                        ack.complete(new AcceptedEvent(event.id(), stored.partition(), stored.offset()));
                    } else {
                        ack.completeExceptionally(failure);
                    }
                });
            } catch (RuntimeException failure) {
                ack.completeExceptionally(failure);
            }
        }
    }

    /** Where each event was stored, or a {@link PublishFailedException} naming those that were. */
    private Uni<List<AcceptedEvent>> outcome(
            List<Event> events, List<CompletableFuture<AcceptedEvent>> acks, Throwable failure) {
        if (failure instanceof TimeoutException) {
            // Events still waiting stop counting against max-in-flight, and those not sent yet are not sent.
            acks.forEach(ack -> ack.completeExceptionally(new TimeoutException()));
        }
        List<AcceptedEvent> accepted = new ArrayList<>(acks.size());
        Throwable firstFailure = failure;
        Throwable refusal = null;
        for (CompletableFuture<AcceptedEvent> ack : acks) {
            if (ack.isDone() && !ack.isCompletedExceptionally()) {
                accepted.add(ack.join());
            } else if (ack.isCompletedExceptionally()) {
                Throwable cause = rootCause(ack.handle((value, error) -> error).join());
                if (refusal == null
                        && (cause instanceof RecordTooLargeException || cause instanceof InvalidRecordException)) {
                    refusal = cause;
                }
                if (firstFailure == null || firstFailure instanceof TimeoutException) {
                    firstFailure = cause;
                }
            }
        }
        if (accepted.size() == events.size()) {
            return Uni.createFrom().item(accepted);
        }
        // Events of the same produce batch as a refused one fail too; a retry cannot store the request as it is.
        String notStored = (events.size() - accepted.size()) + " of " + events.size() + " event(s)";
        if (refusal instanceof RecordTooLargeException) {
            return Uni.createFrom()
                    .failure(new EventRefusedException(
                            413,
                            "The broker refused " + notStored + " as too large for topic " + topic
                                    + " (its max.message.bytes): " + refusal.getMessage(),
                            accepted));
        }
        if (refusal != null) {
            return Uni.createFrom()
                    .failure(new EventRefusedException(
                            400,
                            "The broker refused " + notStored + " as invalid for topic " + topic + ": "
                                    + refusal.getMessage(),
                            accepted));
        }
        return Uni.createFrom()
                .failure(new PublishFailedException(
                        "The broker did not acknowledge " + (events.size() - accepted.size()) + " of " + events.size()
                                + " event(s): " + describe(firstFailure),
                        accepted,
                        firstFailure));
    }

    private static Throwable rootCause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String describe(Throwable failure) {
        if (failure == null || failure instanceof TimeoutException) {
            return "no acknowledgement within the ack timeout";
        }
        Throwable cause = rootCause(failure);
        return cause.getMessage() != null
                ? cause.getMessage()
                : cause.getClass().getSimpleName();
    }
}
