package io.eventprocessor.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import io.eventprocessor.delivery.FallbackLadder.Step;
import io.eventprocessor.kafka.ChannelProducer;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.kafka.TopicMessageLimits;
import io.eventprocessor.partitions.KeyOrderGate;
import io.eventprocessor.partitions.OwnershipFence;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Exactly-once output ({@code processor.delivery=exactly-once}): a batch's processed records, its dead letters and its
 * input offsets in one Kafka transaction of the {@code events-processed} channel's producer, the offsets with the
 * consumer's group metadata (KIP-447), kept to owned partitions by the {@link OwnershipFence}. What aborts, and what is
 * written again then ({@value #COMMIT_ATTEMPTS} attempts at most for refused group metadata): docs/design.md, "How
 * exactly-once works".
 */
@ApplicationScoped
@Typed(TransactionalOutputWriter.class)
public class TransactionalOutputWriter implements OutputWriter {

    static final int COMMIT_ATTEMPTS = 5;
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);

    private final ChannelProducer<byte[], byte[]> producer;
    private final FallbackLadder ladder;
    private final OwnershipFence fence;
    private final KafkaClientService clients;
    private final KeyOrderGate gate;
    private final TopicMessageLimits limits;
    private final Counter committed;
    private final Counter abortedRefused;
    private final Counter abortedMoved;
    private final Counter abortedGroup;

    public TransactionalOutputWriter(
            ProcessedEventWriter channel,
            OwnershipFence fence,
            KafkaClientService clients,
            KeyOrderGate gate,
            TopicMessageLimits limits,
            MeterRegistry registry) {
        this.gate = gate;
        this.limits = limits;
        this.producer = channel.producer();
        this.ladder = channel.ladder();
        this.fence = fence;
        this.clients = clients;
        this.committed = Counter.builder("event_processor.transactions.committed")
                .description("Batches committed in one transaction with their input offsets")
                .register(registry);
        this.abortedRefused = aborted(registry, "refused-record");
        this.abortedMoved = aborted(registry, "partition-moved");
        this.abortedGroup = aborted(registry, "group-metadata");
    }

    private static Counter aborted(MeterRegistry registry, String reason) {
        return Counter.builder("event_processor.transactions.aborted")
                .tag("reason", reason)
                .description("Transactions aborted and written again (failures that fail the channel are not counted)")
                .register(registry);
    }

    @Override
    public Written writeAll(Batch batch) {
        try {
            return transact(transactionalProducer(), batch);
        } catch (ProducerFencedException fenced) {
            throw new OutputFailedException(
                    "another producer with this instance's transactional.id took over ("
                            + fenced.getMessage()
                            + "): every instance needs a name of its own (processor.instance-id, else the "
                            + "host name)",
                    fenced);
        }
    }

    /** The channel's producer; the connector starts its transactions (initTransactions) on first use. */
    private Producer<byte[], byte[]> transactionalProducer() {
        try {
            return producer.get().unwrap();
        } catch (KafkaException e) {
            throw new OutputFailedException(
                    "the transactional producer of " + Channels.EVENTS_PROCESSED + " could not "
                            + "start: " + e.getMessage()
                            + "; processor.delivery=exactly-once needs a cluster that allows "
                            + "transactions (transaction.state.log.replication.factor and min.isr met by the brokers, "
                            + "transactional-id ACLs)",
                    e);
        }
    }

    private Written transact(Producer<byte[], byte[]> kafka, Batch batch) {
        List<Output> outputs = batch.outputs();
        List<Step> plan = new ArrayList<>(outputs.size());
        for (Output output : outputs) {
            if (fence.current(output.source(), batch.generation())) {
                plan.add(ladder.first(output));
            }
        }
        OutputRecords.logLeftToNewOwner(outputs.size() - plan.size(), "read before their partition was assigned again");
        if (plan.isEmpty()) {
            commitHolds(kafka, batch);
            return new Written(0, 0);
        }
        int refusedGroups = 0;
        while (!plan.isEmpty()) {
            kafka.beginTransaction();
            List<Throwable> failures = sendAll(kafka, plan);
            if (failures.stream().anyMatch(Objects::nonNull)) {
                abort(kafka);
                fallBack(plan, failures);
                abortedRefused.increment();
                continue;
            }
            Set<TopicPartition> moved;
            try {
                moved = fence.commitWhileOwned(plan.stream().map(Step::source).toList(), batch.generation(), group -> {
                    kafka.sendOffsetsToTransaction(nextOffsets(plan, batch.holdsChanged()), group);
                    kafka.commitTransaction();
                });
            } catch (CommitFailedException refused) {
                abort(kafka);
                abortedGroup.increment();
                if (++refusedGroups >= COMMIT_ATTEMPTS) {
                    throw new OutputFailedException(
                            "the group coordinator refused the batch's offsets " + COMMIT_ATTEMPTS + " times: "
                                    + refused.getMessage(),
                            refused);
                }
                Log.debugf("Group metadata refused (%s); reading it again from the consumer", refused.getMessage());
                fence.refresh(consumerGroupMetadata());
                continue;
            } catch (ProducerFencedException fenced) {
                throw fenced;
            } catch (KafkaException failed) {
                throw new OutputFailedException(
                        "the transaction could not be committed: " + failed.getMessage(), failed);
            }
            if (moved.isEmpty()) {
                committed.increment();
                return FallbackLadder.written(plan);
            }
            abort(kafka);
            abortedMoved.increment();
            int before = plan.size();
            plan.removeIf(step -> moved.contains(partition(step.source())));
            OutputRecords.logLeftToNewOwner(before - plan.size(), "of partitions revoked meanwhile: " + moved);
        }
        return new Written(0, 0);
    }

    /** Sends every planned record and waits for each outcome: {@code null} where stored (in the transaction). */
    private static List<Throwable> sendAll(Producer<byte[], byte[]> kafka, List<Step> plan) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(plan.size());
        for (Step step : plan) {
            sends.add(FallbackLadder.send(kafka, step.record()));
        }
        List<Throwable> failures = new ArrayList<>(plan.size());
        for (Future<RecordMetadata> send : sends) {
            failures.add(FallbackLadder.outcome(send));
        }
        return failures;
    }

    /**
     * After an aborted attempt: each record refused for good takes its fallback. Records that failed only
     * because the transaction was already in error, or with an invalid neighbour in their produce batch, are
     * sent again as they are.
     *
     * @throws OutputFailedException when no record was refused for good: the failure may pass
     */
    private void fallBack(List<Step> plan, List<Throwable> failures) {
        boolean fellBack = false;
        for (int i = 0; i < plan.size(); i++) {
            Throwable failure = failures.get(i);
            ProducerRecord<byte[], byte[]> record = plan.get(i).record();
            if (failure instanceof RecordTooLargeException
                    && OutputRecords.fitsItsTopic(record, limits.limitOf(record.topic()))) {
                // Not too large itself: the producer fails the records it had not sent yet with the refusal that
                // aborted the transaction. Sent again as it is.
                continue;
            }
            if (failure != null && OutputRecords.refusedForGood(failure)) {
                plan.set(i, ladder.next(plan.get(i), failure));
                fellBack = true;
            }
        }
        if (!fellBack) {
            Throwable first =
                    failures.stream().filter(Objects::nonNull).findFirst().orElseThrow();
            throw new OutputFailedException("the broker did not store an output record: " + first.getMessage(), first);
        }
    }

    /**
     * The plan's records done: the offsets of their partitions and of those whose held records changed, as the
     * {@link KeyOrderGate} counts them (where the next reader starts, and what is done or held beyond it).
     */
    private Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Step> plan, Set<TopicPartition> holdsChanged) {
        List<ConsumerRecord<byte[], byte[]>> sources =
                plan.stream().map(Step::source).toList();
        gate.done(sources);
        Set<TopicPartition> partitions = new HashSet<>(holdsChanged);
        sources.forEach(source -> partitions.add(partition(source)));
        // A partition revoked since its holds changed is its next owner's to commit: a commit from here would
        // overwrite the next owner's with this replica's older view.
        partitions.removeIf(partition -> !fence.owns(partition));
        return gate.offsets(partitions);
    }

    /**
     * A round with no output whose held records changed: their partitions' commits say so, in a transaction of their
     * own, so that the owners of other partitions see what is held here.
     */
    private void commitHolds(Producer<byte[], byte[]> kafka, Batch batch) {
        if (batch.holdsChanged().isEmpty()) {
            return;
        }
        for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
            try {
                fence.commitWhileOwned(List.of(), batch.generation(), group -> {
                    Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(List.of(), batch.holdsChanged());
                    if (!offsets.isEmpty()) {
                        kafka.beginTransaction();
                        kafka.sendOffsetsToTransaction(offsets, group);
                        kafka.commitTransaction();
                    }
                });
                return;
            } catch (CommitFailedException refused) {
                abort(kafka);
                fence.refresh(consumerGroupMetadata());
            } catch (ProducerFencedException fenced) {
                throw fenced;
            } catch (KafkaException failed) {
                abort(kafka);
                throw new OutputFailedException("the held records' commit failed: " + failed.getMessage(), failed);
            }
        }
        // The next batch's or hold's commit of these partitions carries the same metadata.
        Log.debugf("The group coordinator refused the held records' commit %d times", COMMIT_ATTEMPTS);
    }

    private ConsumerGroupMetadata consumerGroupMetadata() {
        Function<Consumer<Object, Object>, ConsumerGroupMetadata> read = Consumer::groupMetadata;
        try {
            return clients.getConsumers(Channels.EVENTS_IN)
                    .get(0)
                    .runOnPollingThread(read)
                    .await()
                    .atMost(METADATA_TIMEOUT);
        } catch (RuntimeException e) {
            throw new OutputFailedException("could not read the consumer's group metadata: " + e.getMessage(), e);
        }
    }

    private static void abort(Producer<byte[], byte[]> kafka) {
        try {
            kafka.abortTransaction();
        } catch (ProducerFencedException fenced) {
            throw fenced;
        } catch (KafkaException e) {
            throw new OutputFailedException("the transaction could not be aborted: " + e.getMessage(), e);
        }
    }

    private static TopicPartition partition(ConsumerRecord<?, ?> record) {
        return new TopicPartition(record.topic(), record.partition());
    }
}
