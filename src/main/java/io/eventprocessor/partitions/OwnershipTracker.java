package io.eventprocessor.partitions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;

/**
 * The ownership rules, apart from asking the cluster: from one refresh's {@link ClusterAnswers}, the time, and what
 * earlier refreshes saw, the next {@link OwnershipSnapshot}: since when each partition has had no owner, since when
 * each owned one has been stuck ({@link StallTracker}), and whose restart turn it is ({@link RestartTurns}). Used by
 * the monitor's refresh thread only.
 */
final class OwnershipTracker {

    private final String groupId;
    private final String ourClientId;
    private final Duration gracePeriod;
    private final ProcessingProgress progress;
    private final Map<TopicPartition, Instant> unownedSince = new HashMap<>();
    private final StallTracker stalls = new StallTracker();
    private final RestartTurns restartTurns;
    private RestartTurn lastTurn;
    private Set<String> topicsSeen;

    /**
     * @param ourClientId the client id of this service's consumers: members with another are foreign
     * @param progress records through this instance's processing step, per partition
     */
    OwnershipTracker(
            String groupId,
            String ourClientId,
            Duration gracePeriod,
            Duration checkInterval,
            ProcessingProgress progress) {
        this.groupId = groupId;
        this.ourClientId = ourClientId;
        this.gracePeriod = gracePeriod;
        this.progress = progress;
        this.restartTurns = new RestartTurns(gracePeriod, checkInterval);
    }

    OwnershipSnapshot next(ClusterAnswers answers, Instant now) {
        Map<TopicPartition, Owner> owners = new HashMap<>();
        List<Owner> replicas = new ArrayList<>();
        List<Owner> foreign = new ArrayList<>();
        answers.assignments().forEach((owner, assigned) -> {
            assigned.forEach(partition -> owners.put(partition, owner));
            (ourClientId.equals(owner.clientId()) ? replicas : foreign).add(owner);
        });
        List<OwnershipSnapshot.PartitionOwnership> partitions =
                new ArrayList<>(answers.partitions().size());
        for (TopicPartition partition : answers.partitions()) {
            Owner owner = owners.get(partition);
            Instant since = owner == null ? unownedSince.computeIfAbsent(partition, key -> unowned(key, now)) : null;
            Long committed = answers.committed().get(partition);
            Long lag = answers.lags().get(partition);
            Instant stuckSince = answers.heldForOrder().contains(partition)
                    ? stalls.held(partition)
                    : stalls.observe(partition, owner, committed, lag, progress.of(partition), now);
            partitions.add(new OwnershipSnapshot.PartitionOwnership(
                    partition.topic(),
                    partition.partition(),
                    owner,
                    since,
                    committed,
                    answers.ends().get(partition),
                    lag,
                    stuckSince));
        }
        noteTopicChanges(answers);
        Set<TopicPartition> existing = Set.copyOf(answers.partitions());
        stalls.retain(existing);
        unownedSince.keySet().removeIf(partition -> {
            Owner owner = owners.get(partition);
            if (owner != null) {
                Log.infof("%s has an owner in group %s: %s", partition, groupId, owner.memberId());
            }
            return owner != null || !existing.contains(partition);
        });
        OwnershipSnapshot taken = new OwnershipSnapshot(
                now,
                true,
                null,
                now,
                groupId,
                answers.groupState() == null ? "Dead" : answers.groupState(),
                answers.groupProtocol(),
                answers.assignments().size(),
                List.copyOf(partitions),
                List.copyOf(foreign),
                null,
                List.copyOf(answers.missingTopics()));
        RestartTurn turn = restartTurns.current(taken.unownedLongerThan(gracePeriod, now), replicas, now);
        if (turn != null && !turn.equals(lastTurn)) {
            Log.warnf("Restart turn: liveness DOWN for %s", turn.describe(now));
        }
        lastTurn = turn;
        return taken.withRestartTurn(turn);
    }

    /** Logs the consumed topics that appeared or went since the last refresh. */
    private void noteTopicChanges(ClusterAnswers answers) {
        Set<String> topics = new TreeSet<>();
        answers.partitions().forEach(partition -> topics.add(partition.topic()));
        if (topicsSeen != null) {
            for (String gone : topicsSeen) {
                if (!topics.contains(gone)) {
                    Log.warnf(
                            "Consumed topic %s is gone (deleted?): its partitions are no longer checked, and no restart"
                                    + " is asked for them",
                            gone);
                }
            }
            for (String added : topics) {
                if (!topicsSeen.contains(added)) {
                    Log.infof("Consumed topic %s appeared: its partitions are checked from now on", added);
                }
            }
        }
        topicsSeen = topics;
    }

    private Instant unowned(TopicPartition partition, Instant now) {
        Log.infof("%s has no owner in group %s", partition, groupId);
        return now;
    }
}
