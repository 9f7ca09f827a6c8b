package io.eventprocessor.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        byte[] body =
                ("{\"id\":\"e1\",\"type\":\"t\",\"payload\" :  " + payload + "  }").getBytes(StandardCharsets.UTF_8);
        Event event = reader.readRequest(body, 500).get(0);

        assertThat(event.payload().text()).isEqualTo(payload);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"a\",\"type\":\"b\",\"payload\":1}|type: appears more than once",
                "{\"type\":\"a\",\"payload\":1} {\"type\":\"b\"}|not JSON: unexpected content after the JSON value",
                "{\"type\":\"a\",\"payload\":1,\"payload\":2}|payload: appears more than once",
                "{\"type\":\"a\",\"key\":\"\\ud800\"}|key: must be Unicode text"
            })
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

    @ParameterizedTest
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void aRecordInAnotherUnicodeEncodingIsUnreadableNamingIt(String encoding) {
        byte[] record = "{\"type\":\"t\",\"payload\":{\"x\":1}}".getBytes(Charset.forName(encoding));

        assertThatThrownBy(() -> reader.readRecord(record))
                .isInstanceOf(UnreadableEventException.class)
                .hasMessageStartingWith("the JSON is encoded as " + encoding.substring(0, 6))
                .hasMessageEndingWith("events must be UTF-8 (RFC 8259)");
    }

    @Test
    void aByteOrderMarkedUtf16LeRecordIsNamedAsSuch() {
        byte[] text = "{\"type\":\"t\",\"payload\":1}".getBytes(StandardCharsets.UTF_16LE);
        byte[] record = new byte[text.length + 2];
        record[0] = (byte) 0xFF;
        record[1] = (byte) 0xFE;
        System.arraycopy(text, 0, record, 2, text.length);

        assertThatThrownBy(() -> reader.readRecord(record))
                .hasMessageStartingWith("the JSON is encoded as UTF-16LE with a byte order mark");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndThePayloadCutAfterIt() {
        byte[] text = "{\"type\":\"t\",\"payload\":{\"x\":\"é\"}}".getBytes(StandardCharsets.UTF_8);
        byte[] record = new byte[text.length + 3];
        record[0] = (byte) 0xEF;
        record[1] = (byte) 0xBB;
        record[2] = (byte) 0xBF;
        System.arraycopy(text, 0, record, 3, text.length);

        assertThat(reader.readRecord(record).payload().text()).isEqualTo("{\"x\":\"é\"}");
    }

    @Test
    void thousandsOfProblemsInOneRecordAreSummedUp() {
        byte[] record = ("{\"payload\":1" + ",\"type\":1".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> reader.readRecord(record))
                .hasMessageEndingWith("; and 4900 more")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(5_000));
    }
}
