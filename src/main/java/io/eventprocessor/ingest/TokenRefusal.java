package io.eventprocessor.ingest;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Why smallrye-jwt refused a token, in words fit for the log: jose4j's own messages quote the token's claims, and for
 * a bad signature the token itself, which has no place in a log.
 *
 * @param cause what refusals for the same reason share (the failure's kind and jose4j's error codes)
 * @param reason what was wrong, e.g. {@code Issuer (iss) claim value (x) doesn't match expected value of y}
 */
record TokenRefusal(String cause, String reason) {

    /** A compact JWS or JWE: base64url parts joined by dots. */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]{8,}(\\.[A-Za-z0-9_-]*){2,4}");

    static TokenRefusal of(Throwable refused) {
        Throwable root = refused;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof InvalidJwtException) {
                break;
            }
            root = root.getCause();
        }
        if (root instanceof InvalidJwtException invalid
                && invalid.getErrorDetails() != null
                && !invalid.getErrorDetails().isEmpty()) {
            String codes = invalid.getErrorDetails().stream()
                    .map(error -> String.valueOf(error.getErrorCode()))
                    .collect(Collectors.joining(","));
            String reason = invalid.getErrorDetails().stream()
                    .map(error -> error.getErrorCode() == ErrorCodes.SIGNATURE_INVALID
                            ? "the signature does not verify with the configured key (mp.jwt.verify.publickey*)"
                            : error.getErrorMessage())
                    .collect(Collectors.joining("; "));
            return new TokenRefusal("jwt:" + codes, withoutToken(reason));
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = withoutToken(message);
        return new TokenRefusal(root.getClass().getName(), root.getClass().getSimpleName() + ": " + message);
    }

    /** jose4j quotes the token in some messages ("Unable to process JOSE object (cause: …): …-&gt;the token"). */
    private static String withoutToken(String message) {
        return JWT.matcher(message).replaceAll("<token>");
    }
}
