package io.eventprocessor.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.Config;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;

/**
 * Loads the token verification key once at start-up, as smallrye-jwt will on the first request: a PEM key or
 * certificate, or a JWKS (a file, the class path, or an identity provider's URL). smallrye-jwt loads it only when the
 * first token arrives and then refuses every token with a 401, so a wrong path, an unreachable JWKS URL or a file
 * that holds no public key would show only as refused requests; here it stops the start, naming the setting.
 */
final class VerificationKeys {

    /** Longest the start waits for the key, e.g. from an identity provider's JWKS URL. */
    static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);

    private VerificationKeys() {}

    /**
     * @return what was loaded, e.g. {@code 2 key(s) from https://…/certs}
     * @throws IllegalStateException naming the setting and why, when no public key can be read
     */
    static String load(Config settings) {
        String location = settings.getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                .orElse(null);
        String setting = location != null ? "mp.jwt.verify.publickey.location=" + location : "mp.jwt.verify.publickey";
        String content;
        try {
            content = location != null ? read(location) : settings.getValue("mp.jwt.verify.publickey", String.class);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "The token verification key cannot be read (" + setting + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "Interrupted while reading the token verification key (" + setting + ")", e);
        }
        if (content == null || content.isBlank()) {
            throw new IllegalStateException(
                    "The token verification key cannot be read (" + setting + "): nothing there");
        }
        String trimmed = content.trim();
        if (trimmed.startsWith("{")) {
            List<JsonWebKey> keys = KeyUtils.loadJsonWebKeys(trimmed);
            long usable = keys == null
                    ? 0
                    : keys.stream()
                            .filter(key -> key instanceof PublicJsonWebKey)
                            .count();
            if (usable == 0) {
                throw new IllegalStateException("The token verification key set holds no public key (" + setting + ")");
            }
            return usable + " public key(s) from " + (location != null ? location : "mp.jwt.verify.publickey");
        }
        try {
            if (trimmed.contains("BEGIN CERTIFICATE")) {
                KeyUtils.decodeCertificate(trimmed);
            } else {
                KeyUtils.decodePublicKey(trimmed);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(
                    "The token verification key is neither a public key, a certificate nor a " + "JWKS (" + setting
                            + "): " + e.getMessage(),
                    e);
        }
        return "the public key of " + (location != null ? location : "mp.jwt.verify.publickey");
    }

    /** The resource's text, or {@code null} when there is none at that location. */
    private static String read(String location) throws IOException, InterruptedException {
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> {
            try {
                return ResourceUtils.readResource(location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return reading.get(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw new IOException("no answer within " + LOAD_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }
}
