package io.eventprocessor.operator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The files of the partition page ({@code GET /partitions/ui}), read once from {@code partitions-ui/} on the class
 * path: plain HTML, CSS and a small script that polls {@code GET /partitions}; nothing from a CDN. Served with a
 * Content-Security-Policy that allows only these files and requests to this origin.
 */
final class PartitionsPage {

    private static final String DIRECTORY = "partitions-ui/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html",
            "text/html; charset=utf-8",
            "page.js",
            "text/javascript; charset=utf-8",
            "page.css",
            "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, Buffer> files;

    private PartitionsPage(Map<String, Buffer> files) {
        this.files = files;
    }

    static PartitionsPage load() {
        Map<String, Buffer> files = new HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = PartitionsPage.class.getClassLoader().getResourceAsStream(DIRECTORY + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing " + DIRECTORY + name + " on the class path");
                }
                files.put(name, Buffer.buffer(in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new PartitionsPage(files);
    }

    void serve(RoutingContext request, String name) {
        request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, TYPES.get(name))
                .putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(files.get(name));
    }
}
