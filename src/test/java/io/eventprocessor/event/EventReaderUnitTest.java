package io.eventprocessor.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The reader keeps a payload exactly as written (numbers, strings, key order, nesting) and writes it out
 * unchanged; it rejects what it cannot keep unchanged.
 */
class EventReaderUnitTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventReader reader = new EventReader(mapper);

    static Stream<String> payloads() {
        return Stream.of(
                "12345678901234567.89",
                "42.10",
                "1e-400",
                "1E+400",
                "-0",
                "-0.0",
                "123456789012345678901234567890",
                "3.14159265358979323846264338327950288",
                "{\"amount\":12345678901234567.89,\"pi\":3.14159265358979323846264338327950288}",
                "{\"z\":1,\"a\":2,\"m\":{\"y\":[1,2.50,{\"x\":null}],\"b\":true}}",
                "\"emoji 😀, pair \\ud83d\\ude00, nul \\u0000, lone \\ud800, quote \\\" \\\\ \"",
                "\"é ü 中文 \u2028\"",
                "[ 1 , 2 ,\n 3 ]",
                "{ }",
                "false",
                "\"\"");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void recordPayloadLeavesAsItCame(String payload) throws Exception {
        byte[] record = ("{\"type\":\"t\",\"payload\":" + payload + ",\"extra\":1}").getBytes(StandardCharsets.UTF_8);

        Event event = reader.readRecord(record);

        assertThat(event.payload().text()).isEqualTo(payload);
        assertThat(new String(mapper.writeValueAsBytes(event), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"t\",\"payload\":" + payload + "}");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void requestPayloadLeavesAsItCame(String payload) throws Exception {
        byte[] body = ("{\"id\":\"e1\",\"type\":\"t\",\"payload\" :  " + payload + "  }").getBytes(StandardCharsets.UTF_8);
        List<EventProblem> problems = new ArrayList<>();
        Event event;
        try (JsonParser parser = reader.parser(body)) {
            parser.nextToken();
            event = reader.readEvent(parser, body, "", true, problems);
        }

        assertThat(problems).isEmpty();
        assertThat(event.payload().text()).isEqualTo(payload);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"a\",\"type\":\"b\",\"payload\":1}|type: appears more than once",
            "{\"type\":\"a\",\"payload\":1} {\"type\":\"b\"}|not JSON: unexpected content after the JSON value",
            "{\"type\":\"a\",\"payload\":1,\"payload\":2}|payload: appears more than once",
            "{\"type\":\"a\",\"key\":\"\\ud800\"}|key: must be Unicode text" })
    void ambiguousRecordsAreUnreadable(String line) {
        String[] parts = line.split("\\|");

        assertThatThrownBy(() -> reader.readRecord(parts[0].getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining(parts[1]);
    }

    @Test
    void utf8EncodedSurrogatesInThePayloadAreRefusedRatherThanReplaced() {
        byte[] prefix = "{\"type\":\"a\",\"payload\":[\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"]}".getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[prefix.length + 3 + suffix.length];
        System.arraycopy(prefix, 0, record, 0, prefix.length);
        record[prefix.length] = (byte) 0xED;
        record[prefix.length + 1] = (byte) 0xA0;
        record[prefix.length + 2] = (byte) 0x80;
        System.arraycopy(suffix, 0, record, prefix.length + 3, suffix.length);

        assertThatThrownBy(() -> reader.readRecord(record))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessage("payload: is not valid UTF-8");
    }
}
