package io.eventprocessor.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.eventprocessor.support.IsolatedPipeline;
import io.eventprocessor.support.RestartableBrokerResource;
import io.eventprocessor.support.ServiceProcess;

/**
 * A replica that starts while the broker is away (a pod rescheduled during an outage): its startup probe passes
 * at once and stays UP, liveness stays UP, readiness stays DOWN; once the broker is back it joins and turns ready.
 * Before, the producers' startup checks kept {@code /q/health/started} at 503 and the kubelet killed the pod after
 * the startup probe's 60 s, again and again; now it is UP from the first probe, so the outage is held for the rule
 * that does count time while the broker is away, the unowned grace period (shortened here), not for the probe's 60 s.
 */
class StartDuringBrokerOutageIT {

    /** The liveness rule that counts time during an outage: a partition unowned past this grace period. */
    private static final Duration UNOWNED_GRACE = Duration.ofSeconds(5);

    /** Four grace periods (refreshed every second), so every time-based rule has had its turn. */
    private static final Duration OUTAGE = UNOWNED_GRACE.multipliedBy(4);

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void aReplicaStartedDuringAnOutageStaysStartedAndLiveAndBecomesReadyWhenTheBrokerIsBack() throws Exception {
        RestartableBrokerResource broker = new RestartableBrokerResource();
        String bootstrap = broker.start().get("kafka.bootstrap.servers");
        RestartableBrokerResource.stopBroker();
        try (ServiceProcess service = ServiceProcess.launch(
                "outage-start",
                bootstrap,
                IsolatedPipeline.processEnvironment(
                        "events",
                        "outage-start-group",
                        Map.of(
                                "PROCESSOR_PARTITIONS_UNOWNED_GRACE_PERIOD",
                                UNOWNED_GRACE.toSeconds() + "s",
                                "PROCESSOR_PARTITIONS_CHECK_INTERVAL",
                                "1s")))) {
            Awaitility.await("started")
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> service.status("/q/health/started") == 200);
            long end = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < end) {
                assertThat(service.status("/q/health/started"))
                        .as("started during the outage")
                        .isEqualTo(200);
                assertThat(service.status("/q/health/live"))
                        .as("live during the outage")
                        .isEqualTo(200);
                assertThat(service.status("/q/health/ready"))
                        .as("not ready during the outage")
                        .isEqualTo(503);
                Thread.sleep(1000);
            }
            RestartableBrokerResource.startBroker();
            service.awaitReady(TIMEOUT);
        } finally {
            broker.stop();
        }
    }
}
