package io.eventprocessor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name of this instance, as processed events ({@code processedBy}) and transactional ids carry it; the service's
 * own comes from {@link #of(ProcessorConfig)} (a bean: {@code config/InstanceNameProducer}).
 *
 * @param value the name, e.g. the pod name {@code event-processor-7d9f8c6b5-x2x4z}
 */
public record InstanceName(String value) {

    /** {@code processor.instance-id}, or else the host name (the pod name in Kubernetes). */
    public static InstanceName of(ProcessorConfig config) {
        return new InstanceName(config.instanceId().orElseGet(InstanceName::hostName));
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
