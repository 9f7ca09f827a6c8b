package io.eventprocessor.processing;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

import io.eventprocessor.config.ProcessorConfig;

/** The name of this instance: {@code processor.instance-id}, or else the host name (the pod name in Kubernetes). */
@ApplicationScoped
public class InstanceName {

    private final String name;

    public InstanceName(ProcessorConfig config) {
        this.name = config.instanceId().orElseGet(InstanceName::hostName);
    }

    public String get() {
        return name;
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
