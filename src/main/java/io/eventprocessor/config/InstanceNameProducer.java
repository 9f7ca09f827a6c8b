package io.eventprocessor.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** This instance's {@link InstanceName}: {@code processor.instance-id}, or else the host name. */
public class InstanceNameProducer {

    @Produces
    @Singleton
    InstanceName instanceName(ProcessorConfig config) {
        return InstanceName.of(config);
    }
}
