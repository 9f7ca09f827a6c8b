package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The fence's rules without a broker (Kafka's {@code MockConsumer}, whose group metadata is generation 1):
 * which records may be committed or written, with which group metadata, and that a revocation waits for a commit
 * or a write.
 */
class OwnershipFenceUnitTest {

    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final OwnershipFence fence = new OwnershipFence();
    private final int assignedIn = consumer.groupMetadata().generationId();

    @Test
    void theMembershipIsWhatTheCallbacksToldLastly() {
        assertThat(fence.membership()).isEqualTo(new OwnershipFence.Membership(false, null, Set.of()));

        fence.assigned(consumer, List.of(P0, P1));
        assertThat(fence.membership())
                .isEqualTo(new OwnershipFence.Membership(
                        true, consumer.groupMetadata().memberId(), Set.of(P0, P1)));

        fence.revoked(consumer, List.of(P1));
        assertThat(fence.membership().partitions()).containsExactly(P0);
        fence.assigned(consumer, List.of());
        assertThat(fence.membership().joined())
                .as("an empty assignment is still one")
                .isTrue();
    }

    @Test
    void aRecordIsCurrentWhenItsPartitionIsAssignedAndItWasPolledSinceTheAssignment() {
        fence.assigned(consumer, List.of(P0));

        assertThat(fence.current(record(P0, 5), assignedIn)).isTrue();
        assertThat(fence.current(record(P0, 5), assignedIn + 3)).isTrue();
        assertThat(fence.current(record(P0, 5), assignedIn - 1))
                .as("polled before the assignment")
                .isFalse();
        assertThat(fence.current(record(P1, 5), assignedIn))
                .as("not assigned here")
                .isFalse();

        fence.revoked(consumer, List.of(P0));
        assertThat(fence.current(record(P0, 5), assignedIn)).as("revoked").isFalse();
    }

    @Test
    void aCommitRunsOnlyWhileEveryPartitionOfTheBatchIsOwnedAndSaysWhichAreNot() {
        fence.assigned(consumer, List.of(P0, P1));
        AtomicReference<ConsumerGroupMetadata> sent = new AtomicReference<>();

        assertThat(fence.commitWhileOwned(List.of(record(P0, 1), record(P1, 1)), assignedIn, sent::set))
                .isEmpty();
        assertThat(sent.get().generationId()).isEqualTo(assignedIn);

        fence.revoked(consumer, List.of(P1));
        sent.set(null);
        assertThat(fence.commitWhileOwned(List.of(record(P0, 2), record(P1, 2)), assignedIn, sent::set))
                .containsExactly(P1);
        assertThat(sent.get()).as("nothing committed").isNull();
    }

    @Test
    void theCommitCarriesTheGenerationOfThePollWhenItIsNewerThanTheLastCallback() {
        fence.assigned(consumer, List.of(P0));
        AtomicReference<ConsumerGroupMetadata> sent = new AtomicReference<>();

        fence.commitWhileOwned(List.of(record(P0, 1)), assignedIn + 4, sent::set);

        ConsumerGroupMetadata callback = consumer.groupMetadata();
        assertThat(sent.get().generationId()).isEqualTo(assignedIn + 4);
        assertThat(sent.get().memberId()).isEqualTo(callback.memberId());
        assertThat(sent.get().groupId()).isEqualTo(callback.groupId());
    }

    @Test
    void aRevocationWaitsForTheCommitInProgress() throws Exception {
        fence.assigned(consumer, List.of(P0));
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Set<TopicPartition>> commit = CompletableFuture.supplyAsync(
                () -> fence.commitWhileOwned(List.of(record(P0, 1)), assignedIn, group -> {
                    committing.countDown();
                    await(release);
                }));
        assertThat(committing.await(10, TimeUnit.SECONDS)).isTrue();

        Thread revocation = new Thread(() -> fence.revoked(consumer, List.of(P0)), "revocation");
        revocation.start();
        Awaitility.await("the revocation waits")
                .atMost(Duration.ofSeconds(10))
                .until(() -> revocation.getState() == Thread.State.WAITING);
        assertThat(fence.current(record(P0, 1), assignedIn))
                .as("still owned while the commit runs")
                .isTrue();

        release.countDown();
        revocation.join(10_000);
        assertThat(commit.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(fence.current(record(P0, 1), assignedIn)).isFalse();
    }

    @Test
    void aWriteTakesOnlyRecordsStillOwnedAndARevocationWaitsForIt() throws Exception {
        fence.assigned(consumer, List.of(P0, P1));
        fence.revoked(consumer, List.of(P1));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<ConsumerRecord<byte[], byte[]>>> write = CompletableFuture.supplyAsync(
                () -> fence.writeWhileOwned(List.of(record(P0, 1), record(P1, 1)), item -> item, assignedIn, owned -> {
                    writing.countDown();
                    await(release);
                    return owned;
                }));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

        Thread revocation = new Thread(() -> fence.revoked(consumer, List.of(P0)), "revocation");
        revocation.start();
        Awaitility.await("the revocation waits")
                .atMost(Duration.ofSeconds(10))
                .until(() -> revocation.getState() == Thread.State.WAITING);

        release.countDown();
        revocation.join(10_000);
        assertThat(write.get(10, TimeUnit.SECONDS))
                .as("P1 was revoked before")
                .extracting(ConsumerRecord::partition)
                .containsExactly(0);
        assertThat(fence.current(record(P0, 1), assignedIn)).isFalse();
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, new byte[0]);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
