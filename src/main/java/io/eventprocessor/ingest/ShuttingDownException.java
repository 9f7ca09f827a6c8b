package io.eventprocessor.ingest;

/** A request that arrived after this instance stopped taking events ({@link ShutdownGate}); answered {@code 503}. */
public class ShuttingDownException extends RuntimeException {

    public ShuttingDownException() {
        super(
                "this instance is shutting down and takes no new events; nothing of this request was stored: "
                        + "retry it (another instance will answer)",
                null,
                false,
                false);
    }
}
