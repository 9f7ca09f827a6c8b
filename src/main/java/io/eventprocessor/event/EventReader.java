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
 * Reads and validates events, for both ways in: request bodies ({@code POST /events}: one event or an array of them,
 * all or nothing, strict) and consumed records (lenient: other producers may add fields).
 * <p>
 * It reads with Jackson's streaming parser, never through a tree, and cuts the payload's text out of
 * the bytes it arrived in ({@link RawJson}): what leaves is what came, digit for digit. The parser still
 * checks all of it (syntax, UTF-8, Jackson's nesting, number and string length limits), so an event
 * that passes is valid JSON throughout.
 */
@ApplicationScoped
public class EventReader {

    private static final int MAX_ID_LENGTH = 256;
    private static final String WHOLE_BODY = "the body must be an event object or an array of them";

    private final JsonFactory json;

    public EventReader(ObjectMapper mapper) {
        this.json = mapper.getFactory();
    }

    /**
     * Reads one consumed record value.
     *
     * @throws UnreadableEventException naming every problem when the value is not a valid event
     */
    public Event readRecord(byte[] value) {
        if (value == null) {
            throw new UnreadableEventException("record has no value");
        }
        Event event;
        Reading reading;
        try (JsonParser parser = parser(value)) {
            reading = new Reading(parser, value, false);
            parser.nextToken();
            event = reading.event("");
            reading.requireEnd();
        } catch (NotUtf8Exception e) {
            throw new UnreadableEventException(e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("not JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            // Whatever else the parser throws on some input, the record is unreadable, never a reason to stop.
            throw new UnreadableEventException("not readable as JSON: " + e);
        }
        if (!reading.problems.isEmpty()) {
            throw new UnreadableEventException(EventProblem.summary(reading.problems));
        }
        return event;
    }

    /**
     * Reads a request body: one event object, or an array of 1 to {@code maxEvents} of them.
     *
     * @return the events in request order
     * @throws InvalidEventsException naming every problem found: the whole body is refused
     */
    public List<Event> readRequest(byte[] body, int maxEvents) {
        if (body == null || body.length == 0) {
            throw InvalidEventsException.of("Empty body", WHOLE_BODY);
        }
        try (JsonParser parser = parser(body)) {
            Reading reading = new Reading(parser, body, true);
            JsonToken root = parser.nextToken();
            if (root == JsonToken.START_OBJECT) {
                Event event = reading.event("");
                reading.requireEnd();
                reading.refuseIfProblems("Invalid event");
                return List.of(event);
            }
            if (root == JsonToken.START_ARRAY) {
                return reading.events(maxEvents);
            }
            throw root == null
                    ? InvalidEventsException.of("Empty body", WHOLE_BODY)
                    : InvalidEventsException.of(
                            "Expected a JSON object or an array of objects",
                            "must be an event object or an array of them");
        } catch (NotUtf8Exception e) {
            throw InvalidEventsException.of("Not UTF-8", e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw InvalidEventsException.of("Malformed JSON", "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InvalidEventsException.of("Unreadable body", String.valueOf(e.getMessage()));
        }
    }

    /**
     * A parser over {@code source}, whose byte offsets payloads are cut by.
     *
     * @throws NotUtf8Exception when the bytes are JSON in UTF-16 or UTF-32 (JSON exchanged between systems must be
     *         UTF-8, RFC 8259 §8.1; Jackson would read them, but not by byte offsets)
     */
    private JsonParser parser(byte[] source) throws IOException {
        String encoding = JsonEncoding.otherThanUtf8(source);
        if (encoding != null) {
            throw new NotUtf8Exception(encoding);
        }
        return json.createParser(source);
    }

    /** One input being read: its parser and bytes, the schema it is held to, and the problems found so far. */
    private static final class Reading {

        private final JsonParser parser;
        private final byte[] source;
        private final boolean request;
        private final List<EventProblem> problems = new ArrayList<>();

        /** @param request whether the request schema applies: {@code payload} required, no unknown fields */
        Reading(JsonParser parser, byte[] source, boolean request) {
            this.parser = parser;
            this.source = source;
            this.request = request;
        }

        /** The array the parser stands on, each element an event. */
        List<Event> events(int maxEvents) throws IOException {
            List<Event> events = new ArrayList<>();
            int size = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (size < maxEvents) {
                    events.add(event("[" + size + "]."));
                } else {
                    parser.skipChildren();
                }
                size++;
            }
            requireEnd();
            if (size == 0) {
                throw InvalidEventsException.of("Empty batch", "an array must hold at least one event");
            }
            if (size > maxEvents) {
                throw InvalidEventsException.of(
                        "Batch too large", "an array holds at most " + maxEvents + " events, this one " + size);
            }
            refuseIfProblems(problems.size() + " problem(s) in the batch; nothing was accepted");
            return events;
        }

        void refuseIfProblems(String message) {
            if (!problems.isEmpty()) {
                throw new InvalidEventsException(message, problems);
            }
        }

        /**
         * The event object the parser stands on, noting what is wrong with it; leaves the parser on the last token of
         * the value, whatever it was.
         *
         * @param path prefix for field names, e.g. {@code [2].}, or empty
         * @return the event, or {@code null} when a problem was found
         * @throws JsonProcessingException when the input is not JSON
         */
        Event event(String path) throws IOException {
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
                    case "type" -> type = type(token, path);
                    case "id" -> id = optionalText(token, path + "id");
                    case "key" -> key = optionalText(token, path + "key");
                    case "payload" -> payload = raw(token, path + "payload");
                    default -> {
                        if (request) {
                            unknown.add(new EventProblem(path + name, "is not a known field (id, key, type, payload)"));
                        }
                        parser.skipChildren();
                    }
                }
            }
            if (type == null && !hasProblem(problemsBefore, path + "type")) {
                problems.add(new EventProblem(path + "type", "is required"));
            }
            boolean noPayload = payload == null || payload.text().equals("null");
            if (request && noPayload && !hasProblem(problemsBefore, path + "payload")) {
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
        void requireEnd() throws IOException {
            if (parser.nextToken() != null) {
                throw new JsonProcessingException(
                        "unexpected content after the JSON value", parser.currentTokenLocation()) {};
            }
        }

        private String type(JsonToken token, String path) throws IOException {
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

        private String optionalText(JsonToken token, String field) throws IOException {
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

        /** The value's JSON text exactly as it stands in the source, after the parser has checked all of it. */
        private RawJson raw(JsonToken token, String field) throws IOException {
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

        private boolean hasProblem(int from, String field) {
            return problems.subList(from, problems.size()).stream()
                    .anyMatch(problem -> problem.field().equals(field));
        }
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
