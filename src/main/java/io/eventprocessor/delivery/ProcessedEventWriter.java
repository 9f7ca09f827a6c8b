package io.eventprocessor.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ConsumedTopics;
import io.eventprocessor.config.OutputTopics;
import io.eventprocessor.kafka.ChannelProducer;
import io.eventprocessor.kafka.Channels;
import io.eventprocessor.partitions.OffsetCommits;
import io.eventprocessor.partitions.OwnershipFence;
import io.eventprocessor.tracing.TraceHeaders;
import io.smallrye.common.annotation.Identifier;

/**
 * At-least-once output ({@code processor.delivery=at-least-once}, the default): writes the processor's output
 * with the Kafka producer of channel {@code events-processed} (configured, secured and monitored by the connector
 * like any channel): processed events as JSON to the processed topic, and records that cannot be processed to the
 * dead-letter topic ({@code processor.topics.*}, per input topic where they name {@code {topic}}), key, value and
 * headers byte for byte as they were consumed, with the reason, topic, partition and offset added as headers (see
 * {@link OutputRecords}).
 * <p>
 * {@link #writeAll(Batch)} returns once the broker stored every output, so that the input is committed
 * only after its output; a record refused for good takes the {@link FallbackLadder}, and any other failure (broker
 * away, leader moving, timeouts, authorization) fails the batch with an {@link OutputFailedException}: nothing is
 * committed, and no record is skipped or dead-lettered for it.
 */
@ApplicationScoped
@Typed(ProcessedEventWriter.class)
public class ProcessedEventWriter implements OutputWriter {

    private final ChannelProducer<byte[], byte[]> producer;
    private final FallbackLadder ladder;
    private final OwnershipFence fence;
    private final OffsetCommits commits;

    public ProcessedEventWriter(
            @Identifier(Channels.EVENTS_PROCESSED) ChannelProducer<byte[], byte[]> producer,
            ObjectMapper mapper,
            OutputTopics outputs,
            ConsumedTopics consumed,
            TraceHeaders traces,
            OwnershipFence fence,
            OffsetCommits commits) {
        this.producer = producer;
        this.fence = fence;
        this.commits = commits;
        this.ladder = new FallbackLadder(new OutputRecords(mapper, outputs, consumed, traces));
    }

    /** The producer of channel {@code events-processed}, which the transactional writer shares. */
    ChannelProducer<byte[], byte[]> producer() {
        return producer;
    }

    /** What a refused output becomes, which the transactional writer shares. */
    FallbackLadder ladder() {
        return ladder;
    }

    /**
     * Writes the outputs of records of partitions still owned, while no revocation can run, then has their offsets
     * committed ({@link OffsetCommits}, without waiting; at the latest when the partitions are revoked).
     */
    @Override
    public Written writeAll(Batch batch) {
        List<Output> outputs = batch.outputs();
        Written written = fence.writeWhileOwned(outputs, Output::source, batch.generation(), owned -> {
            OutputRecords.logLeftToNewOwner(
                    outputs.size() - owned.size(), "of partitions revoked since they were read");
            Written stored = write(owned);
            commits.stored(owned.stream().map(Output::source).toList(), batch.generation());
            return stored;
        });
        Set<TopicPartition> partitions = new HashSet<>(batch.holdsChanged());
        outputs.forEach(output -> partitions.add(
                new TopicPartition(output.source().topic(), output.source().partition())));
        commits.commitSoon(partitions);
        return written;
    }

    private Written write(List<Output> outputs) {
        return ladder.storeEach(producer.get().unwrap(), outputs);
    }
}
