package io.eventprocessor.ingest;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body as it streams in and refuses it as soon as it grows past the limit, so a
 * body sent without {@code Content-Length} (chunked) never occupies more than the limit in memory.
 * Bodies that declare their length are refused before they are read, by {@link DeclaredBodyLimit}.
 */
final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * Closes the connection once the answer is written: the rest of a refused body is never read, and Vert.x would
     * otherwise drain it to keep the connection alive.
     */
    static void closeAfterAnswer(HttpServerRequest request) {
        request.response().bodyEndHandler(end -> request.connection().close());
    }

    /**
     * The whole body, or a failure with {@link BodyTooLargeException} once more than {@code limit}
     * bytes have arrived (the rest is not read; the answer closes the connection).
     */
    static Uni<byte[]> read(HttpServerRequest request, int limit) {
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            boolean[] refused = {false};
            request.handler(chunk -> {
                if (refused[0]) {
                    return;
                }
                if ((long) body.length() + chunk.length() > limit) {
                    refused[0] = true;
                    request.pause();
                    closeAfterAnswer(request);
                    emitter.fail(BodyTooLargeException.atLeast(body.length() + chunk.length(), limit));
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(failure -> {
                if (!refused[0]) {
                    emitter.fail(failure);
                }
            });
            request.endHandler(end -> {
                if (!refused[0]) {
                    emitter.complete(body.getBytes());
                }
            });
            request.resume();
        });
    }
}
