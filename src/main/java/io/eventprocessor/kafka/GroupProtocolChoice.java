package io.eventprocessor.kafka;

import static io.eventprocessor.kafka.Assignors.kebab;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.config.ProcessorConfig.Assignor;
import io.eventprocessor.config.ProcessorConfig.GroupProtocol;
import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The group protocol this replica's consumer uses, decided once at start-up from
 * {@code processor.partitions.group-protocol} and what the cluster supports: the consumer protocol (KIP-848)
 * needs the {@code group.version} feature finalized at level 1 or more (Kafka 4.0 and later do so by
 * default; 3.x brokers do not have the feature). With {@code auto} the service picks {@code consumer} where
 * the cluster has it and {@code classic} where it does not, or where it cannot ask in time
 * ({@code processor.partitions.check-timeout}): classic works on every broker, and on a Kafka 4 cluster a
 * classic member and consumer-protocol members share one group (Kafka converts the group online). An
 * assignor that exists with one protocol only decides for it. An explicit {@code consumer} against a
 * cluster without it fails start-up, naming the setting and the cluster's metadata version.
 */
@ApplicationScoped
public class GroupProtocolChoice {

    /** The feature a broker finalizes when its group coordinator runs the consumer protocol. */
    static final String GROUP_VERSION = "group.version";

    /**
     * The protocol chosen and why.
     *
     * @param protocol {@code consumer} or {@code classic}
     * @param reason why, in a sentence
     */
    @RegisterForReflection
    public record Choice(GroupProtocol protocol, String reason) {

        /** e.g. {@code consumer: processor.partitions.group-protocol=auto and the cluster supports it (…)} */
        public String describe() {
            return protocol.name().toLowerCase() + ": " + reason;
        }
    }

    private final ProcessorConfig.Partitions settings;
    private final AdminClients adminClients;
    private volatile Choice choice;

    public GroupProtocolChoice(ProcessorConfig config, AdminClients adminClients) {
        this.settings = config.partitions();
        this.adminClients = adminClients;
    }

    /** The choice, made on first use (when the connector creates the consumer) and kept. */
    public synchronized Choice choice() {
        if (choice == null) {
            choice = decide();
            Log.infof("Group protocol %s", choice.describe());
        }
        return choice;
    }

    /** The choice if made already; never asks the cluster. */
    public Optional<Choice> madeChoice() {
        return Optional.ofNullable(choice);
    }

    private Choice decide() {
        return decide(settings.groupProtocol(), settings.assignor(), this::askCluster, settings.checkTimeout());
    }

    /**
     * What the cluster says about group protocols.
     *
     * @param metadataVersion the finalized {@code metadata.version} level (21 is Kafka 3.9)
     * @param groupVersionSupported whether the brokers know the {@code group.version} feature (Kafka 4.0 and later)
     * @param groupVersion its finalized level: 1 or more means the consumer protocol is on
     */
    record Cluster(short metadataVersion, boolean groupVersionSupported, short groupVersion) {

        static Cluster of(FeatureMetadata features) {
            return new Cluster(
                    finalizedLevel(features, "metadata.version"),
                    features.supportedFeatures().containsKey(GROUP_VERSION),
                    finalizedLevel(features, GROUP_VERSION));
        }

        /** e.g. {@code metadata.version 21, group.version not supported (a Kafka 3.x broker)}. */
        String describe() {
            return "metadata.version " + metadataVersion + ", "
                    + (groupVersionSupported
                            ? GROUP_VERSION + " " + groupVersion
                            : GROUP_VERSION + " not supported (a Kafka 3.x broker)");
        }
    }

    /** The rule, apart from asking the cluster: {@code cluster} is asked only when the settings leave it open. */
    static Choice decide(
            GroupProtocol configured,
            Optional<Assignor> assignor,
            Supplier<Optional<Cluster>> cluster,
            Duration timeout) {
        if (configured == GroupProtocol.CLASSIC) {
            return new Choice(GroupProtocol.CLASSIC, "processor.partitions.group-protocol=classic");
        }
        if (configured == GroupProtocol.AUTO && assignor.isPresent() && Assignors.onlyClassic(assignor.get())) {
            return new Choice(
                    GroupProtocol.CLASSIC,
                    "processor.partitions.assignor=" + kebab(assignor.get())
                            + " exists with the classic protocol only");
        }
        Optional<Cluster> answer = cluster.get();
        if (answer.isEmpty()) {
            boolean consumerWanted =
                    configured == GroupProtocol.CONSUMER || assignor.equals(Optional.of(Assignor.UNIFORM));
            return consumerWanted
                    ? new Choice(
                            GroupProtocol.CONSUMER,
                            "processor.partitions.group-protocol=" + kebab(configured)
                                    + assignor.map(value -> " with processor.partitions.assignor=" + kebab(value))
                                            .orElse("")
                                    + "; the cluster could not be asked within " + timeout
                                    + " whether it supports the consumer protocol")
                    : new Choice(
                            GroupProtocol.CLASSIC,
                            "the cluster could not be asked within " + timeout
                                    + "; assuming classic, which every broker supports (on a Kafka 4 cluster a classic member "
                                    + "joins a consumer-protocol group too)");
        }
        Cluster features = answer.get();
        if (features.groupVersion() >= 1) {
            return new Choice(
                    GroupProtocol.CONSUMER,
                    "processor.partitions.group-protocol=" + kebab(configured)
                            + " and the cluster supports the consumer protocol (" + features.describe() + ")");
        }
        if (configured == GroupProtocol.CONSUMER || assignor.isPresent() && assignor.get() == Assignor.UNIFORM) {
            throw new IllegalStateException("processor.partitions.group-protocol=" + kebab(configured)
                    + assignor.map(value -> " with processor.partitions.assignor=" + kebab(value))
                            .orElse("")
                    + " needs the consumer group protocol, which the cluster does not support (" + features.describe()
                    + "; it needs Kafka 4.0 or later with group.version 1): set processor.partitions.group-protocol=auto "
                    + "or classic" + (assignor.isPresent() ? " and an assignor of the classic protocol" : ""));
        }
        return new Choice(
                GroupProtocol.CLASSIC,
                "processor.partitions.group-protocol=auto and the cluster does not support " + "the consumer protocol ("
                        + features.describe() + ")");
    }

    private Optional<Cluster> askCluster() {
        Duration timeout = settings.checkTimeout();
        try (Admin admin = adminClients.create("event-processor-protocol-check")) {
            return Optional.of(Cluster.of(
                    admin.describeFeatures().featureMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Log.warnf(
                    "Could not ask the cluster which group protocols it supports: %s",
                    e.getCause() != null ? e.getCause() : e);
            return Optional.empty();
        }
    }

    private static short finalizedLevel(FeatureMetadata features, String feature) {
        FinalizedVersionRange range = features.finalizedFeatures().get(feature);
        return range == null ? 0 : range.maxVersionLevel();
    }
}
