package io.eventprocessor.processing;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.eventprocessor.config.ProcessorConfig;

/** The name of this instance: {@code processor.instance-id}, or else the host name (the pod name in Kubernetes). */
@ApplicationScoped
public class InstanceName {

    private final String name;

    @Inject
    public InstanceName(ProcessorConfig config) {
        this(config.instanceId().orElseGet(InstanceName::hostName));
    }

    /** A fixed name, for code that runs the processing step without CDI (the benchmark's raw-client loop). */
    public InstanceName(String name) {
        this.name = name;
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
