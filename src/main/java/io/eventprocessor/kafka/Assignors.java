package io.eventprocessor.kafka;

import java.util.Optional;

import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;

import io.eventprocessor.config.ProcessorConfig.Assignor;
import io.eventprocessor.config.ProcessorConfig.GroupProtocol;

/** Which assignors each group protocol has, and how {@code processor.partitions.assignor} names them. */
final class Assignors {

    private Assignors() {}

    /**
     * The configured assignor, or the protocol's default; rejects an assignor the protocol does not have.
     *
     * @param protocol the protocol in use: {@code consumer} or {@code classic}
     */
    static Assignor effective(GroupProtocol protocol, Optional<Assignor> configured) {
        boolean consumerProtocol = protocol == GroupProtocol.CONSUMER;
        Assignor assignor = configured.orElse(consumerProtocol ? Assignor.UNIFORM : Assignor.COOPERATIVE_STICKY);
        boolean serverSide = assignor == Assignor.UNIFORM || assignor == Assignor.RANGE;
        if (consumerProtocol ? !serverSide : assignor == Assignor.UNIFORM) {
            throw new IllegalArgumentException("processor.partitions.assignor=" + kebab(assignor)
                    + " does not exist with the " + kebab(protocol) + " group protocol"
                    + (consumerProtocol
                            ? "; use uniform or range"
                            : "; use range, roundrobin, sticky or cooperative-sticky"));
        }
        return assignor;
    }

    /** Whether an assignor exists with the classic protocol only (a client-side assignor). */
    static boolean onlyClassic(Assignor assignor) {
        return assignor == Assignor.ROUNDROBIN
                || assignor == Assignor.STICKY
                || assignor == Assignor.COOPERATIVE_STICKY;
    }

    static String classicAssignorClass(Assignor assignor) {
        return switch (assignor) {
            case RANGE -> RangeAssignor.class.getName();
            case ROUNDROBIN -> RoundRobinAssignor.class.getName();
            case STICKY -> StickyAssignor.class.getName();
            case COOPERATIVE_STICKY, UNIFORM -> CooperativeStickyAssignor.class.getName();
        };
    }

    /** A setting value as written in application.properties, e.g. {@code cooperative-sticky}. */
    static String kebab(Enum<?> value) {
        return value.name().toLowerCase().replace('_', '-');
    }
}
