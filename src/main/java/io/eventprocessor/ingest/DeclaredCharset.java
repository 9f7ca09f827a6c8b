package io.eventprocessor.ingest;

import java.util.Locale;

import jakarta.ws.rs.NotSupportedException;

/**
 * The {@code charset} a request's {@code Content-Type} declares. JSON between systems is UTF-8 (RFC 8259 §8.1) and
 * the API reads nothing else, so a body declared in another charset is refused with a {@code 415} that names it,
 * rather than read as UTF-8 and refused, or worse accepted, for bytes that mean something else.
 */
final class DeclaredCharset {

    private DeclaredCharset() {}

    /**
     * @param contentType the request's {@code Content-Type}, or {@code null}
     * @throws NotSupportedException when it declares a charset other than UTF-8
     */
    static void requireUtf8(String contentType) {
        if (contentType == null) {
            return;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            String charset = parameter.substring(equals + 1).trim().replace("\"", "");
            String normalized = charset.toLowerCase(Locale.ROOT);
            if (!normalized.equals("utf-8") && !normalized.equals("utf8")) {
                throw new NotSupportedException(
                        "charset=" + (charset.length() > 40 ? charset.substring(0, 40) + "…" : charset)
                                + " is not supported: send the JSON as UTF-8 (charset=utf-8 or none)");
            }
        }
    }
}
