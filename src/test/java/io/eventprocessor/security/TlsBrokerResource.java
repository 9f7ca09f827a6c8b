package io.eventprocessor.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.eventprocessor.support.TestKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * A broker whose client listener speaks TLS, with a certificate generated for {@code localhost} by the
 * JDK's {@code keytool}; the application connects over TLS with the standard {@code kafka.ssl.*}
 * properties. The test itself reads topics through the plaintext listener.
 */
public class TlsBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static final String PASSWORD = "changeit-test";
    private static TestKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tls-");
            Path keyStore = dir.resolve("broker.p12");
            Path certificate = dir.resolve("broker.crt");
            Path trustStore = dir.resolve("truststore.p12");
            keytool(
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "2",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore",
                    keyStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD);
            keytool(
                    "-exportcert",
                    "-alias",
                    "broker",
                    "-keystore",
                    keyStore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-rfc",
                    "-file",
                    certificate.toString());
            keytool(
                    "-importcert",
                    "-alias",
                    "broker",
                    "-file",
                    certificate.toString(),
                    "-keystore",
                    trustStore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD,
                    "-noprompt");

            TestKafkaBroker.Node node = TestKafkaBroker.Node.alone(TestKafkaBroker.freePort());
            int tlsPort = TestKafkaBroker.freePort();
            broker = TestKafkaBroker.create(
                            node,
                            dir.resolve("data"),
                            Map.of(
                                    "auto.create.topics.enable",
                                    "false",
                                    "listeners",
                                    "PLAINTEXT://localhost:" + node.port() + ",CONTROLLER://localhost:"
                                            + node.controllerPort() + ",SSL://localhost:" + tlsPort,
                                    "advertised.listeners",
                                    "PLAINTEXT://localhost:" + node.port() + ",SSL://localhost:" + tlsPort,
                                    "listener.security.protocol.map",
                                    "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                                    "listener.name.ssl.ssl.keystore.location",
                                    keyStore.toAbsolutePath().toString(),
                                    "listener.name.ssl.ssl.keystore.type",
                                    "PKCS12",
                                    "listener.name.ssl.ssl.keystore.password",
                                    PASSWORD,
                                    "listener.name.ssl.ssl.key.password",
                                    PASSWORD))
                    .start();
            broker.ensureTopics(Map.of("events", 2, "events-processed", 1, "events-dlq", 1));
            return Map.of(
                    "kafka.bootstrap.servers",
                    "localhost:" + tlsPort,
                    "kafka.security.protocol",
                    "SSL",
                    "kafka.ssl.truststore.location",
                    trustStore.toAbsolutePath().toString(),
                    "kafka.ssl.truststore.type",
                    "PKCS12",
                    "kafka.ssl.truststore.password",
                    PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        broker.close();
    }

    /** A companion on the plaintext listener; the caller closes it. */
    static KafkaCompanion plaintextCompanion() {
        return new KafkaCompanion(broker.bootstrapServers());
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
