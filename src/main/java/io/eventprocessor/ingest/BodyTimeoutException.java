package io.eventprocessor.ingest;

import java.time.Duration;

/** A request body that did not arrive within {@code processor.ingest.body-timeout}; answered {@code 408}, closing the connection. */
public class BodyTimeoutException extends RuntimeException {

    BodyTimeoutException(Duration timeout, long received) {
        super(
                "the body did not arrive within processor.ingest.body-timeout=" + timeout.toSeconds() + "s (" + received
                        + " bytes received); nothing was accepted",
                null,
                false,
                false);
    }
}
