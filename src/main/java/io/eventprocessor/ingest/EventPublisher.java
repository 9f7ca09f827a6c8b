package io.eventprocessor.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.eventprocessor.Channels;
import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.processing.Event;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Writes events to topic {@code events} through the Emitter and completes only once the broker has
 * acknowledged every one of them, with the partition and offset it stored each at.
 */
@ApplicationScoped
public class EventPublisher {

    private final MutinyEmitter<Event> emitter;
    private final ProcessorConfig config;

    public EventPublisher(@Channel(Channels.EVENTS_OUT) MutinyEmitter<Event> emitter, ProcessorConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /**
     * Sends the events in order (so events with the same key keep it) and waits for every
     * acknowledgement, bounded by {@code processor.ingest.ack-timeout}.
     *
     * @return where each event was stored, in the given order
     * @throws PublishFailedException (as the Uni's failure) when any event was not acknowledged in time;
     *         it lists the events that were
     */
    public Uni<List<AcceptedEvent>> publish(List<Event> events) {
        List<Uni<Outcome>> sends = events.stream().map(this::send).toList();
        return Uni.join().all(sends).andFailFast().map(outcomes -> {
            List<AcceptedEvent> accepted = new ArrayList<>(outcomes.size());
            Throwable firstFailure = null;
            for (Outcome outcome : outcomes) {
                outcome.accepted().ifPresent(accepted::add);
                if (firstFailure == null && outcome.failure() != null) {
                    firstFailure = outcome.failure();
                }
            }
            if (firstFailure != null) {
                throw new PublishFailedException("The broker did not acknowledge " + (events.size() - accepted.size())
                        + " of " + events.size() + " event(s): " + describe(firstFailure), accepted, firstFailure);
            }
            return accepted;
        });
    }

    private Uni<Outcome> send(Event event) {
        OutgoingMessageMetadata<RecordMetadata> stored = new OutgoingMessageMetadata<>();
        Message<Event> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.key()).build())
                .addMetadata(stored);
        return emitter.sendMessage(message)
                .ifNoItem().after(config.ingest().ackTimeout()).fail()
                .map(done -> Outcome.stored(new AcceptedEvent(event.id(), stored.getResult().partition(),
                        stored.getResult().offset())))
                .onFailure().recoverWithItem(Outcome::failed);
    }

    private static String describe(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return "no acknowledgement within the ack timeout";
        }
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    private record Outcome(Optional<AcceptedEvent> accepted, Throwable failure) {

        static Outcome stored(AcceptedEvent event) {
            return new Outcome(Optional.of(event), null);
        }

        static Outcome failed(Throwable failure) {
            return new Outcome(Optional.empty(), failure);
        }
    }
}
