package io.eventprocessor.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.processing.Event;
import io.eventprocessor.processing.EventProblem;
import io.eventprocessor.processing.EventReader;

/**
 * Turns a {@code POST /events} body (one event object or an array of them) into events, all or
 * nothing: any problem rejects the whole request, so nothing of it reaches Kafka.
 */
@ApplicationScoped
public class EventRequestParser {

    private final ObjectMapper mapper;
    private final EventReader reader;
    private final ProcessorConfig config;

    public EventRequestParser(ObjectMapper mapper, EventReader reader, ProcessorConfig config) {
        this.mapper = mapper;
        this.reader = reader;
        this.config = config;
    }

    /**
     * Parses and validates a request body.
     *
     * @return the events in request order, each with an id
     * @throws InvalidRequestException naming every problem found
     */
    public List<Event> parse(byte[] body) {
        JsonNode root = readJson(body);
        if (root.isObject()) {
            return List.of(toEvent(root, ""));
        }
        if (!root.isArray()) {
            throw invalid("Expected a JSON object or an array of objects", "", "must be an event object or an array of them");
        }
        int size = root.size();
        if (size == 0) {
            throw invalid("Empty batch", "", "an array must hold at least one event");
        }
        int max = config.ingest().maxBatchSize();
        if (size > max) {
            throw invalid("Batch too large", "", "an array holds at most " + max + " events, this one " + size);
        }
        List<EventProblem> problems = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            problems.addAll(reader.check(root.get(i), "[" + i + "].", true));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems.size() + " problem(s) in the batch; nothing was accepted", problems);
        }
        List<Event> events = new ArrayList<>(size);
        root.forEach(node -> events.add(withId(reader.toEvent(node))));
        return events;
    }

    private Event toEvent(JsonNode node, String path) {
        List<EventProblem> problems = reader.check(node, path, true);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException("Invalid event", problems);
        }
        return withId(reader.toEvent(node));
    }

    private JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("Empty body", "", "the body must be an event object or an array of them");
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw invalid("Empty body", "", "the body must be an event object or an array of them");
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw invalid("Malformed JSON", "", "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("Unreadable body", "", e.getMessage());
        }
    }

    private static Event withId(Event event) {
        return event.id() != null ? event : event.withId(UUID.randomUUID().toString());
    }

    private static InvalidRequestException invalid(String message, String field, String problem) {
        return new InvalidRequestException(message, List.of(new EventProblem(field, problem)));
    }
}
