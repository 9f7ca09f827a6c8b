package io.eventprocessor.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventprocessor.config.ProcessorConfig;
import io.eventprocessor.event.Event;
import io.eventprocessor.event.EventProblem;
import io.eventprocessor.event.EventReader;
import io.eventprocessor.event.InvalidEventsException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Any {@code POST /events} body is either a list of valid events or a clean {@code 400}
 * ({@link InvalidEventsException}, at most {@link EventProblem#MAX_LISTED} short problems): never another exception,
 * which would answer {@code 500}. Seeds: {@code src/test/resources/fuzz/request-body/}.
 */
public final class RequestBodyFuzzTarget {

    private static final ProcessorConfig CONFIG = new SmallRyeConfigBuilder()
            .withMapping(ProcessorConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(ProcessorConfig.class);
    private static final EventRequestParser PARSER =
            new EventRequestParser(new EventReader(new ObjectMapper()), CONFIG);

    private RequestBodyFuzzTarget() {}

    /** The check for one input; Jazzer's driver calls it by this name ({@code io.eventprocessor.FuzzingRunTest}). */
    public static void fuzzerTestOneInput(byte[] body) {
        List<Event> events;
        try {
            events = PARSER.parse(body);
        } catch (InvalidEventsException refused) {
            assertThat(refused.problems()).isNotEmpty().hasSizeLessThanOrEqualTo(EventProblem.MAX_LISTED);
            refused.problems().forEach(problem -> assertThat(problem.toString()).hasSizeLessThan(1_000));
            return;
        }
        assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(CONFIG.ingest().maxBatchSize());
        events.forEach(event -> {
            assertThat(event.id()).isNotEmpty();
            assertThat(event.type()).isNotBlank();
            assertThat(event.payload()).isNotNull();
        });
    }
}
