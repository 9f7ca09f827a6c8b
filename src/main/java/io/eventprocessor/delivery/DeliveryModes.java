package io.eventprocessor.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.config.ProcessorConfig.Delivery;
import io.quarkus.logging.Log;

/** The processor's {@link OutputWriter}, as {@code processor.delivery} says. */
@ApplicationScoped
class DeliveryModes {

    @Produces
    @ApplicationScoped
    OutputWriter outputWriter(
            ProcessorConfig config, ProcessedEventWriter atLeastOnce, TransactionalOutputWriter exactlyOnce) {
        if (config.delivery() == Delivery.EXACTLY_ONCE) {
            Log.info("Delivery exactly-once: each batch's outputs and input offsets are committed in one transaction");
            return exactlyOnce;
        }
        return atLeastOnce;
    }
}
