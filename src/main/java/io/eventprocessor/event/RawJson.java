package io.eventprocessor.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A JSON value kept exactly as it was written: the text of a payload, cut from the bytes it arrived in,
 * and written out again unchanged. Numbers keep every digit and their written form ({@code 42.10},
 * {@code 1e-400}, {@code -0}), strings their escapes, objects their key order: nothing passes through
 * {@code double} or a tree. Only {@link EventReader} makes one, after the JSON parser has checked the text.
 *
 * @param text the JSON text of the value, valid JSON
 */
@RegisterForReflection
public record RawJson(String text) implements JsonSerializable {

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeRawValue(text);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider provider, TypeSerializer typeSerializer)
            throws IOException {
        serialize(generator, provider);
    }

    @Override
    public String toString() {
        return text;
    }
}
