package io.eventprocessor.processing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads and validates events, for both ways in: request bodies ({@code POST /events}, strict) and
 * records on topic {@code events} (lenient: other producers may add fields).
 */
@ApplicationScoped
public class EventReader {

    static final Set<String> FIELDS = Set.of("id", "key", "type", "payload");
    private static final int MAX_ID_LENGTH = 256;

    private final ObjectMapper mapper;

    public EventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Reads one record value from topic {@code events}.
     *
     * @throws UnreadableEventException naming every problem when the value is not a valid event
     */
    public Event readRecord(String value) {
        if (value == null) {
            throw new UnreadableEventException("record has no value");
        }
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("not JSON: " + e.getOriginalMessage());
        }
        List<EventProblem> problems = check(node, "", false);
        if (!problems.isEmpty()) {
            throw new UnreadableEventException(problems.stream()
                    .map(EventProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        return toEvent(node);
    }

    /**
     * Lists what is wrong with one event object.
     *
     * @param node the JSON value that should be an event object
     * @param path prefix for field names, e.g. {@code [2].}, or empty
     * @param strict whether the request schema applies: {@code payload} required, no unknown fields
     */
    public List<EventProblem> check(JsonNode node, String path, boolean strict) {
        List<EventProblem> problems = new ArrayList<>();
        if (node == null || !node.isObject()) {
            problems.add(new EventProblem(trimDot(path), "must be a JSON object"));
            return problems;
        }
        JsonNode type = node.get("type");
        if (type == null || type.isNull()) {
            problems.add(new EventProblem(path + "type", "is required"));
        } else if (!type.isTextual()) {
            problems.add(new EventProblem(path + "type", "must be a string"));
        } else if (type.asText().isBlank()) {
            problems.add(new EventProblem(path + "type", "must not be blank"));
        }
        checkOptionalText(node, "id", path, problems);
        checkOptionalText(node, "key", path, problems);
        if (strict) {
            if (!node.has("payload") || node.get("payload").isNull()) {
                problems.add(new EventProblem(path + "payload", "is required"));
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!FIELDS.contains(name)) {
                    problems.add(new EventProblem(path + name, "is not a known field (id, key, type, payload)"));
                }
            }
        }
        return problems;
    }

    /** Builds the event from an object that {@link #check} found valid. */
    public Event toEvent(JsonNode node) {
        return new Event(textOrNull(node.get("id")), textOrNull(node.get("key")), node.get("type").asText(),
                node.get("payload"));
    }

    private static void checkOptionalText(JsonNode node, String field, String path, List<EventProblem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual()) {
            problems.add(new EventProblem(path + field, "must be a string"));
        } else if (value.asText().isEmpty()) {
            problems.add(new EventProblem(path + field, "must not be empty"));
        } else if (value.asText().length() > MAX_ID_LENGTH) {
            problems.add(new EventProblem(path + field, "must be at most " + MAX_ID_LENGTH + " characters"));
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String trimDot(String path) {
        return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
    }
}
