package io.eventprocessor.partitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

import io.eventprocessor.partitions.OwnershipSnapshot.PartitionOwnership;

/**
 * The liveness verdict on one snapshot: who goes DOWN for an unowned or a stalled partition, and that nothing
 * fails on data that is missing or too old. Grace 30 s, stall timeout 60 s, data stale after 20 s.
 */
class OwnershipLivenessRulesUnitTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final OwnershipLivenessRules RULES =
            new OwnershipLivenessRules(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(20));
    private static final Owner ME = new Owner("m-1", PartitionOwnershipMonitor.OUR_CLIENT_ID, "/10.0.0.1");
    private static final Owner OTHER = new Owner("m-2", PartitionOwnershipMonitor.OUR_CLIENT_ID, "/10.0.0.2");

    private static PartitionOwnership owned(int partition, Owner owner) {
        return new PartitionOwnership("events", partition, owner, null, 10L, 10L, 0L, null);
    }

    private static PartitionOwnership unowned(int partition, Duration forHowLong) {
        return new PartitionOwnership("events", partition, null, NOW.minus(forHowLong), null, 5L, null, null);
    }

    private static PartitionOwnership stalled(int partition, Owner owner, Duration forHowLong) {
        return new PartitionOwnership("events", partition, owner, null, 4L, 16L, 12L, NOW.minus(forHowLong));
    }

    private static OwnershipSnapshot snapshot(Duration dataAge, List<PartitionOwnership> partitions, RestartTurn turn) {
        Instant dataAsOf = NOW.minus(dataAge);
        return new OwnershipSnapshot(
                dataAsOf,
                true,
                null,
                dataAsOf,
                "event-processor",
                "Stable",
                "consumer",
                2,
                partitions,
                List.of(),
                turn,
                List.of());
    }

    private static RestartTurn turnOf(Owner owner, Instant until) {
        return new RestartTurn(
                false, owner, 1, 2, NOW.minusSeconds(5), until, "events-2 unowned past the grace period");
    }

    private static HealthCheckResponse judge(OwnershipSnapshot snapshot) {
        return RULES.judge(snapshot, ME.memberId(), "consumer (asked the cluster)", NOW);
    }

    @Test
    void beforeTheFirstRefreshLivenessIsUpAndSaysSo() {
        HealthCheckResponse response = judge(OwnershipSnapshot.none("event-processor"));

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData())
                .hasValueSatisfying(data -> assertThat(data).containsEntry("checked", "not yet"));
    }

    @Test
    void everyPartitionOwnedIsUp() {
        HealthCheckResponse response =
                judge(snapshot(Duration.ofSeconds(1), List.of(owned(0, ME), owned(1, OTHER)), null));

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData().orElseThrow())
                .containsEntry("unowned", "none")
                .containsEntry("partitions", 2L)
                .containsEntry("stalledHere", "none")
                .containsEntry("thisMember", "m-1");
    }

    @Test
    void anUnownedPartitionWithinTheGracePeriodIsNamedButFailsNobody() {
        HealthCheckResponse response =
                judge(snapshot(Duration.ofSeconds(1), List.of(owned(0, ME), unowned(1, Duration.ofSeconds(29))), null));

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData().orElseThrow())
                .containsEntry("unowned", "events-1 since " + NOW.minusSeconds(29))
                .doesNotContainKey("unownedPastGracePeriod");
    }

    @Test
    void anUnownedPartitionPastTheGracePeriodFailsTheReplicaWhoseTurnItIs() {
        OwnershipSnapshot overdue = snapshot(
                Duration.ofSeconds(1),
                List.of(owned(0, ME), unowned(1, Duration.ofSeconds(31))),
                turnOf(ME, NOW.plusSeconds(20)));

        HealthCheckResponse response = judge(overdue);

        assertThat(response.getStatus()).isEqualTo(Status.DOWN);
        assertThat(response.getData().orElseThrow())
                .containsEntry("unownedPastGracePeriod", "events-1 since " + NOW.minusSeconds(31))
                .hasEntrySatisfying(
                        "restartTurn", turn -> assertThat(turn).asString().startsWith("member m-1 "));
    }

    @Test
    void anotherReplicasTurnLeavesThisOneUp() {
        OwnershipSnapshot overdue = snapshot(
                Duration.ofSeconds(1),
                List.of(owned(0, ME), unowned(1, Duration.ofSeconds(31))),
                turnOf(OTHER, NOW.plusSeconds(20)));

        assertThat(judge(overdue).getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void anEndedTurnFailsNobodyUntilTheNextIsChosen() {
        OwnershipSnapshot overdue = snapshot(
                Duration.ofSeconds(1), List.of(owned(0, ME), unowned(1, Duration.ofSeconds(31))), turnOf(ME, NOW));

        HealthCheckResponse response = judge(overdue);

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData().orElseThrow())
                .hasEntrySatisfying(
                        "restartTurn", turn -> assertThat(turn).asString().startsWith("between turns"));
    }

    @Test
    void withNoReplicaOfOursInTheGroupEveryReplicaFails() {
        RestartTurn everyReplica = new RestartTurn(true, null, 0, 0, NOW.minusSeconds(5), null, "nothing consumes");

        HealthCheckResponse response =
                judge(snapshot(Duration.ofSeconds(1), List.of(unowned(0, Duration.ofMinutes(5))), everyReplica));

        assertThat(response.getStatus()).isEqualTo(Status.DOWN);
        assertThat(RULES.judge(
                                snapshot(
                                        Duration.ofSeconds(1),
                                        List.of(unowned(0, Duration.ofMinutes(5))),
                                        everyReplica),
                                null,
                                "consumer",
                                NOW)
                        .getStatus())
                .as("a replica that has not joined yet")
                .isEqualTo(Status.DOWN);
    }

    @Test
    void aStalledPartitionFailsItsOwnerOnly() {
        OwnershipSnapshot stalledHere =
                snapshot(Duration.ofSeconds(1), List.of(stalled(0, ME, Duration.ofSeconds(61)), owned(1, OTHER)), null);
        OwnershipSnapshot stalledThere =
                snapshot(Duration.ofSeconds(1), List.of(owned(0, ME), stalled(1, OTHER, Duration.ofSeconds(61))), null);

        HealthCheckResponse owner = judge(stalledHere);
        HealthCheckResponse bystander = judge(stalledThere);

        assertThat(owner.getStatus()).isEqualTo(Status.DOWN);
        assertThat(owner.getData().orElseThrow())
                .hasEntrySatisfying(
                        "stalledHere",
                        value -> assertThat(value)
                                .asString()
                                .startsWith(
                                        "events-0 (owner m-1, client kafka-consumer-events-in, lag 12, committed 4,"));
        assertThat(bystander.getStatus()).isEqualTo(Status.UP);
        assertThat(bystander.getData().orElseThrow())
                .containsEntry("stalledHere", "none")
                .hasEntrySatisfying(
                        "stalledElsewhere",
                        value -> assertThat(value).asString().startsWith("events-1 (owner m-2"));
    }

    @Test
    void aPartitionWithLagWithinTheStallTimeoutIsNotStalled() {
        HealthCheckResponse response =
                judge(snapshot(Duration.ofSeconds(1), List.of(stalled(0, ME, Duration.ofSeconds(59))), null));

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("stalledHere", "none");
    }

    @Test
    void dataOlderThanStaleAfterFailsNobodyWhateverItSays() {
        OwnershipSnapshot old = snapshot(
                Duration.ofSeconds(21),
                List.of(stalled(0, ME, Duration.ofMinutes(5)), unowned(1, Duration.ofMinutes(5))),
                turnOf(ME, NOW.plusSeconds(20)));

        HealthCheckResponse response = judge(old);

        assertThat(response.getStatus()).isEqualTo(Status.UP);
        assertThat(response.getData().orElseThrow())
                .containsEntry("dataAgeMs", 21_000L)
                .hasEntrySatisfying("note", note -> assertThat(note).asString().startsWith("ownership unknown"));
        assertThat(judge(snapshot(Duration.ofSeconds(20), old.partitions(), old.restartTurn()))
                        .getStatus())
                .as("data exactly staleAfter old still counts")
                .isEqualTo(Status.DOWN);
    }
}
