package io.eventprocessor.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads and validates events, for both ways in: request bodies ({@code POST /events}, strict) and
 * records on topic {@code events} (lenient: other producers may add fields).
 * <p>
 * It reads with Jackson's streaming parser, never through a tree, and cuts the payload's text out of
 * the bytes it arrived in ({@link RawJson}): what leaves is what came, digit for digit. The parser still
 * checks all of it (syntax, UTF-8, Jackson's nesting, number and string length limits), so an event
 * that passes is valid JSON throughout.
 */
@ApplicationScoped
public class EventReader {

    private static final int MAX_ID_LENGTH = 256;

    private final JsonFactory json;

    public EventReader(ObjectMapper mapper) {
        this.json = mapper.getFactory();
    }

    /**
     * Reads one record value from topic {@code events}.
     *
     * @throws UnreadableEventException naming every problem when the value is not a valid event
     */
    public Event readRecord(byte[] value) {
        if (value == null) {
            throw new UnreadableEventException("record has no value");
        }
        List<EventProblem> problems = new ArrayList<>();
        Event event;
        try (JsonParser parser = parser(value)) {
            parser.nextToken();
            event = readEvent(parser, value, "", false, problems);
            requireEnd(parser);
        } catch (NotUtf8Exception e) {
            throw new UnreadableEventException(e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("not JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // Whatever else the parser throws on some input, the record is unreadable, never a reason to stop.
            throw new UnreadableEventException("not readable as JSON: " + e);
        }
        if (!problems.isEmpty()) {
            throw new UnreadableEventException(EventProblem.summary(problems));
        }
        return event;
    }

    /**
     * A parser over {@code source}, whose byte offsets {@link #readEvent} cuts payloads by.
     *
     * @throws NotUtf8Exception when the bytes are JSON in UTF-16 or UTF-32 (JSON exchanged between systems must be
     *         UTF-8, RFC 8259 §8.1; Jackson would read them, but not by byte offsets)
     */
    public JsonParser parser(byte[] source) throws IOException {
        String encoding = JsonEncoding.otherThanUtf8(source);
        if (encoding != null) {
            throw new NotUtf8Exception(encoding);
        }
        return json.createParser(source);
    }

    /**
     * Reads the event object the parser stands on, noting what is wrong with it; leaves the parser on
     * the last token of the value, whatever it was.
     *
     * @param parser a parser from {@link #parser(byte[])}, on the first token of the value
     * @param source the bytes the parser reads
     * @param path prefix for field names, e.g. {@code [2].}, or empty
     * @param strict whether the request schema applies: {@code payload} required, no unknown fields
     * @param problems where problems are added
     * @return the event, or {@code null} when a problem was found
     * @throws JsonProcessingException when the input is not JSON
     */
    public Event readEvent(JsonParser parser, byte[] source, String path, boolean strict, List<EventProblem> problems)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            problems.add(new EventProblem(trimDot(path), "must be a JSON object"));
            parser.skipChildren();
            return null;
        }
        int problemsBefore = problems.size();
        Set<String> seen = new HashSet<>();
        String id = null;
        String key = null;
        String type = null;
        RawJson payload = null;
        List<EventProblem> unknown = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            if (!seen.add(name)) {
                problems.add(new EventProblem(path + name, "appears more than once"));
                parser.skipChildren();
                continue;
            }
            switch (name) {
                case "type" -> type = readType(parser, token, path, problems);
                case "id" -> id = readOptionalText(parser, token, path + "id", problems);
                case "key" -> key = readOptionalText(parser, token, path + "key", problems);
                case "payload" -> payload = readRaw(parser, token, source, path + "payload", problems);
                default -> {
                    if (strict) {
                        unknown.add(new EventProblem(path + name, "is not a known field (id, key, type, payload)"));
                    }
                    parser.skipChildren();
                }
            }
        }
        if (type == null && !hasProblem(problems, problemsBefore, path + "type")) {
            problems.add(new EventProblem(path + "type", "is required"));
        }
        boolean noPayload = payload == null || payload.text().equals("null");
        if (strict && noPayload && !hasProblem(problems, problemsBefore, path + "payload")) {
            problems.add(new EventProblem(path + "payload", "is required"));
        }
        problems.addAll(unknown);
        return problems.size() > problemsBefore ? null : new Event(id, key, type, payload);
    }

    /**
     * Fails unless the parser has read the whole input: one JSON value and nothing after it.
     *
     * @throws JsonProcessingException naming where the trailing content starts
     */
    public static void requireEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonProcessingException(
                    "unexpected content after the JSON value", parser.currentTokenLocation()) {};
        }
    }

    private static String readType(JsonParser parser, JsonToken token, String path, List<EventProblem> problems)
            throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            problems.add(new EventProblem(path + "type", "must be a string"));
            parser.skipChildren();
            return null;
        }
        String type = parser.getText();
        if (type.isBlank()) {
            problems.add(new EventProblem(path + "type", "must not be blank"));
            return null;
        }
        return type;
    }

    private static String readOptionalText(
            JsonParser parser, JsonToken token, String field, List<EventProblem> problems) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            problems.add(new EventProblem(field, "must be a string"));
            parser.skipChildren();
            return null;
        }
        String text = parser.getText();
        if (text.isEmpty()) {
            problems.add(new EventProblem(field, "must not be empty"));
        } else if (text.length() > MAX_ID_LENGTH) {
            problems.add(new EventProblem(field, "must be at most " + MAX_ID_LENGTH + " characters"));
        } else if (hasUnpairedSurrogate(text)) {
            // It would be stored as '?' in a Kafka key and could not be matched again.
            problems.add(new EventProblem(field, "must be Unicode text (it holds an unpaired surrogate escape)"));
        }
        return text;
    }

    /** The value's JSON text exactly as it stands in {@code source}, after the parser has checked all of it. */
    private static RawJson readRaw(
            JsonParser parser, JsonToken token, byte[] source, String field, List<EventProblem> problems)
            throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        if (token.isStructStart()) {
            parser.skipChildren();
        } else {
            parser.finishToken();
        }
        long end = parser.currentLocation().getByteOffset();
        if (start < 0 || end < start || end > source.length) {
            problems.add(new EventProblem(field, "cannot be cut from the input: is it UTF-8 JSON?"));
            return null;
        }
        try {
            // Strict: the parser lets UTF-8-encoded surrogates through, which a lenient decode would replace.
            return new RawJson(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(source, (int) start, (int) (end - start)))
                    .toString());
        } catch (CharacterCodingException e) {
            problems.add(new EventProblem(field, "is not valid UTF-8"));
            return null;
        }
    }

    private static boolean hasProblem(List<EventProblem> problems, int from, String field) {
        return problems.subList(from, problems.size()).stream()
                .anyMatch(problem -> problem.field().equals(field));
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String trimDot(String path) {
        return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
    }
}
