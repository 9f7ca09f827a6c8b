package io.eventprocessor.event;

import com.fasterxml.jackson.core.JsonProcessingException;

/** JSON in an encoding other than UTF-8, refused before it is parsed. */
public class NotUtf8Exception extends JsonProcessingException {

    public NotUtf8Exception(String encoding) {
        super("the JSON is encoded as " + encoding + "; events must be UTF-8 (RFC 8259)");
    }
}
