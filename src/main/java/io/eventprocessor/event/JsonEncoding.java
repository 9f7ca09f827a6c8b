package io.eventprocessor.event;

/**
 * Tells JSON in UTF-16 or UTF-32 from UTF-8 by its first bytes: a byte order mark, or the zero bytes that the first
 * character (always ASCII in JSON: whitespace, a bracket, a quote, a digit, a letter of true/false/null) has in
 * those encodings (RFC 4627 §3). Any zero byte among the first two is taken as such, as Jackson's own detection
 * does: UTF-8 JSON never holds one there. A UTF-8 byte order mark is UTF-8, which the parser skips.
 */
final class JsonEncoding {

    private JsonEncoding() {}

    /** The encoding's name, with "with a byte order mark" when there is one, or {@code null} for UTF-8 (or too short to tell). */
    static String otherThanUtf8(byte[] bytes) {
        int b0 = at(bytes, 0);
        int b1 = at(bytes, 1);
        int b2 = at(bytes, 2);
        int b3 = at(bytes, 3);
        if (b0 == 0x00 && b1 == 0x00 && b2 == 0xFE && b3 == 0xFF) {
            return "UTF-32BE with a byte order mark";
        }
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0x00 && b3 == 0x00) {
            return "UTF-32LE with a byte order mark";
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return "UTF-16BE with a byte order mark";
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return "UTF-16LE with a byte order mark";
        }
        if (b0 == 0x00 && b1 == 0x00 && b2 == 0x00 && b3 > 0) {
            return "UTF-32BE";
        }
        if (b0 > 0 && b1 == 0x00 && b2 == 0x00 && b3 == 0x00) {
            return "UTF-32LE";
        }
        if (b0 == 0x00 && b1 > 0) {
            return "UTF-16BE";
        }
        if (b0 > 0 && b1 == 0x00) {
            return "UTF-16LE";
        }
        if (b0 == 0x00 && b1 == 0x00) {
            return "UTF-16 or UTF-32";
        }
        return null;
    }

    /** The unsigned byte at {@code index}, or -1 past the end. */
    private static int at(byte[] bytes, int index) {
        return index < bytes.length ? bytes[index] & 0xFF : -1;
    }
}
