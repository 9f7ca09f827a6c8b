package io.eventprocessor.processing;

/**
 * A batch given up before its output was written (an interrupt during a retry back-off, as at shutdown).
 * Nothing of it is dead-lettered or committed: the connector fails the channel and the records are read
 * again, from the last committed offsets, by whichever member owns them next.
 */
public class BatchAbortedException extends RuntimeException {

    public BatchAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
