package io.eventprocessor.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/1.1 {@code POST} with a body of a given size, chunked or with its {@code Content-Length}, written by one
 * thread while another reads the answer, so an answer that comes before the body is complete (and the close after it)
 * is seen as sent. A client that only reads once it has written everything can instead fail with a broken pipe when
 * the server answers early and closes.
 */
final class ChunkedUpload {

    private static final int CHUNK = 64 * 1024;

    /** What the server answered, and how many body bytes were written before the server stopped reading. */
    record Answer(String head, String body, long sent) {}

    private ChunkedUpload() {}

    /** A chunked body of {@code size} bytes. */
    static Answer send(URL url, long size) throws Exception {
        return send(url, size, true);
    }

    /** A body of {@code size} bytes that declares its length. */
    static Answer sendWithLength(URL url, long size) throws Exception {
        return send(url, size, false);
    }

    private static Answer send(URL url, long size, boolean chunked) throws Exception {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                            + "\r\nContent-Type: application/json\r\n"
                            + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + size) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> writeBody(out, size, chunked));
            byte[] answer = readUntilClosed(socket.getInputStream());
            long sent = writer.get(30, TimeUnit.SECONDS);
            String text = new String(answer, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return split < 0
                    ? new Answer(text, "", sent)
                    : new Answer(text.substring(0, split), text.substring(split + 4), sent);
        }
    }

    /** Body bytes written, chunk by chunk, until all are written or the server closed the connection. */
    private static long writeBody(OutputStream out, long size, boolean chunked) {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'x');
        long sent = 0;
        try {
            while (sent < size) {
                int length = (int) Math.min(CHUNK, size - sent);
                if (chunked) {
                    out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(chunk, 0, length);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                sent += length;
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException closedByServer) {
            // the server answered and closed: the rest is not sent
        }
        return sent;
    }

    /** Everything received until the server closes the connection (a reset after the answer ends it too). */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.write(buffer, 0, read);
            }
        } catch (IOException reset) {
            if (received.size() == 0) {
                throw reset;
            }
        }
        return received.toByteArray();
    }
}
