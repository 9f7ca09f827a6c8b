package io.eventprocessor.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.common.annotation.Identifier;

/**
 * The settings of every admin client the service opens (protocol check, topic limits, ownership monitor): the
 * {@code kafka.*} settings the channels share (security included) that an admin client knows, the channels'
 * bootstrap servers (the connector's default when {@code kafka.bootstrap.servers} is not set), and request timeouts of
 * {@code processor.partitions.check-timeout}, so that no broker call waits longer.
 */
@ApplicationScoped
public class AdminClients {

    private final Map<String, Object> shared;

    public AdminClients(
            ProcessorConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = ProcessorConfig.DEFAULT_BOOTSTRAP_SERVERS)
                    String bootstrapServers) {
        this.shared = settings(kafkaConfig, bootstrapServers, (int)
                config.partitions().checkTimeout().toMillis());
    }

    /** The settings of an admin client named {@code clientId}; a copy the caller may change. */
    public Map<String, Object> settings(String clientId) {
        Map<String, Object> settings = new HashMap<>(shared);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return settings;
    }

    /** A new admin client named {@code clientId}; the caller closes it. */
    public Admin create(String clientId) {
        return Admin.create(settings(clientId));
    }

    static Map<String, Object> settings(Map<String, Object> kafkaConfig, String bootstrapServers, int timeoutMs) {
        Map<String, Object> settings = onlyKnown(kafkaConfig, AdminClientConfig.configNames());
        settings.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return settings;
    }

    /**
     * The entries of {@code config} a client of {@code names} ({@code AdminClientConfig.configNames()}, ...) knows: the
     * shared {@code kafka.*} configuration holds settings of every client, and each warns about the others'.
     */
    public static Map<String, Object> onlyKnown(Map<String, Object> config, Set<String> names) {
        Map<String, Object> known = new HashMap<>();
        config.forEach((key, value) -> {
            if (names.contains(key)) {
                known.put(key, value);
            }
        });
        return known;
    }
}
