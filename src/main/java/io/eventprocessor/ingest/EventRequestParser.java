package io.eventprocessor.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.EventProblem;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.NotUtf8Exception;

/**
 * Turns a {@code POST /events} body (one event object or an array of them) into events, all or
 * nothing: any problem rejects the whole request, so nothing of it reaches Kafka.
 */
@ApplicationScoped
public class EventRequestParser {

    private final EventReader reader;
    private final ProcessorConfig config;

    public EventRequestParser(EventReader reader, ProcessorConfig config) {
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
        if (body == null || body.length == 0) {
            throw invalid("Empty body", "", "the body must be an event object or an array of them");
        }
        try (JsonParser parser = reader.parser(body)) {
            JsonToken root = parser.nextToken();
            if (root == null) {
                throw invalid("Empty body", "", "the body must be an event object or an array of them");
            }
            List<EventProblem> problems = new ArrayList<>();
            List<Event> events;
            if (root == JsonToken.START_OBJECT) {
                Event event = reader.readEvent(parser, body, "", true, problems);
                EventReader.requireEnd(parser);
                if (!problems.isEmpty()) {
                    throw new InvalidRequestException("Invalid event", problems);
                }
                events = List.of(event);
            } else if (root == JsonToken.START_ARRAY) {
                events = readBatch(parser, body, problems);
            } else {
                throw invalid(
                        "Expected a JSON object or an array of objects",
                        "",
                        "must be an event object or an array of them");
            }
            return events.stream().map(EventRequestParser::withId).toList();
        } catch (NotUtf8Exception e) {
            throw invalid("Not UTF-8", "", e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw invalid("Malformed JSON", "", "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid("Unreadable body", "", e.getMessage());
        }
    }

    private List<Event> readBatch(JsonParser parser, byte[] body, List<EventProblem> problems) throws IOException {
        int max = config.ingest().maxBatchSize();
        List<Event> events = new ArrayList<>();
        int size = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (size < max) {
                events.add(reader.readEvent(parser, body, "[" + size + "].", true, problems));
            } else {
                parser.skipChildren();
            }
            size++;
        }
        EventReader.requireEnd(parser);
        if (size == 0) {
            throw invalid("Empty batch", "", "an array must hold at least one event");
        }
        if (size > max) {
            throw invalid("Batch too large", "", "an array holds at most " + max + " events, this one " + size);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(
                    problems.size() + " problem(s) in the batch; nothing was accepted", problems);
        }
        return events;
    }

    private static Event withId(Event event) {
        return event.id() != null ? event : event.withId(UUID.randomUUID().toString());
    }

    private static InvalidRequestException invalid(String message, String field, String problem) {
        return new InvalidRequestException(message, List.of(new EventProblem(field, problem)));
    }
}
