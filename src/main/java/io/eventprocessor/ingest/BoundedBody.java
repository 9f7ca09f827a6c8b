package io.eventprocessor.ingest;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import io.eventprocessor.config.ProcessorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a {@code POST /events} body as it streams in, within three bounds:
 * <ul>
 * <li>size: a body that grows past {@code processor.ingest.max-body-bytes} is refused with {@code 413} at once (bodies
 * that declare a larger length are refused before they are read, by {@link DeclaredBodyLimit});</li>
 * <li>memory: the bytes every request in hand holds stay within {@code processor.ingest.max-in-flight-bytes}
 * ({@link IngestMemory}); a request that would go over it is read to its end without keeping it, then answered
 * {@code 503}, so the client gets a whole answer on a connection it may keep;</li>
 * <li>time: a body that has not fully arrived {@code processor.ingest.body-timeout} after the request started is
 * answered {@code 408}, and its connection closed.</li>
 * </ul>
 * What a request holds is released when its answer is written or its connection closes.
 */
@ApplicationScoped
public class BoundedBody {

    private final int maxBodyBytes;
    private final Duration timeout;
    private final IngestMemory memory;

    public BoundedBody(ProcessorConfig config, IngestMemory memory) {
        this.maxBodyBytes = config.ingest().maxBodyBytes();
        this.timeout = config.ingest().bodyTimeout();
        this.memory = memory;
    }

    /**
     * Closes the connection once the answer is written: the rest of a refused body is never read, and Vert.x would
     * otherwise drain it to keep the connection alive.
     */
    static void closeAfterAnswer(HttpServerRequest request) {
        request.response().bodyEndHandler(end -> request.connection().close());
    }

    /**
     * The whole body; or a failure with {@link BodyTooLargeException}, {@link IngestBusyException} or
     * {@link BodyTimeoutException}.
     */
    Uni<byte[]> read(RoutingContext context) {
        HttpServerRequest request = context.request();
        return Uni.createFrom().emitter(emitter -> {
            Reading reading = new Reading();
            context.addEndHandler(end -> reading.release());
            long timer = context.vertx().setTimer(timeout.toMillis(), id -> {
                if (reading.settle()) {
                    request.pause();
                    closeAfterAnswer(request);
                    emitter.fail(new BodyTimeoutException(timeout, reading.received));
                }
            });
            request.handler(chunk -> {
                if (reading.settled) {
                    return;
                }
                reading.received += chunk.length();
                if (reading.received > maxBodyBytes) {
                    reading.settle();
                    context.vertx().cancelTimer(timer);
                    request.pause();
                    closeAfterAnswer(request);
                    emitter.fail(BodyTooLargeException.atLeast(reading.received, maxBodyBytes));
                } else if (reading.body != null) {
                    reading.keep(chunk);
                }
            });
            request.exceptionHandler(failure -> {
                if (reading.settle()) {
                    context.vertx().cancelTimer(timer);
                    emitter.fail(failure);
                }
            });
            request.endHandler(end -> {
                if (reading.settle()) {
                    context.vertx().cancelTimer(timer);
                    if (reading.body == null) {
                        emitter.fail(new IngestBusyException(memory.limit()));
                    } else {
                        emitter.complete(reading.body.getBytes());
                    }
                }
            });
            request.resume();
        });
    }

    /** One body's reading, on the request's event loop; released from wherever the request ends. */
    private final class Reading {

        Buffer body = Buffer.buffer();
        long received;
        long held;
        boolean settled;
        private final AtomicBoolean released = new AtomicBoolean();

        /** Keeps the chunk if the memory bound allows, else drops what was kept and reads on without keeping. */
        void keep(Buffer chunk) {
            if (memory.tryHold(chunk.length(), held)) {
                held += chunk.length();
                body.appendBuffer(chunk);
            } else {
                body = null;
                release();
            }
        }

        /** @return whether this call settled the reading (it was not settled before) */
        boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            return true;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                memory.release(held);
            }
        }
    }
}
