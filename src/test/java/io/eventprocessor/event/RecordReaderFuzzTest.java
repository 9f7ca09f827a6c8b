package io.eventprocessor.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Any bytes a producer writes into the input topic are either a readable event or a clean refusal (an
 * {@link UnreadableEventException} with a bounded reason that the dead-letter topic takes): never another
 * exception, which would stop the partition. Seeds: {@code src/test/resources/.../RecordReaderFuzzTestInputs}.
 */
class RecordReaderFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final EventReader READER = new EventReader(MAPPER);

    @FuzzTest
    void anyRecordIsAnEventOrACleanRefusal(byte[] value) throws Exception {
        fuzzerTestOneInput(value);
    }

    /** The check for one input; Jazzer's own driver calls it by this name in {@link FuzzingRunTest}. */
    public static void fuzzerTestOneInput(byte[] value) throws Exception {
        Event event;
        try {
            event = READER.readRecord(value);
        } catch (UnreadableEventException refused) {
            assertThat(refused.getMessage()).as("reason").doesNotStartWith("not readable as JSON:")
                    .hasSizeLessThan(20_000);
            return;
        }
        assertThat(event.type()).isNotBlank();
        if (event.payload() != null) {
            MAPPER.readTree(event.payload().text());
        }
        MAPPER.readTree(MAPPER.writeValueAsBytes(event));
    }
}
