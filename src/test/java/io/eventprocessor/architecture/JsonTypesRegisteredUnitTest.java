package io.eventprocessor.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.eventprocessor.event.Event;
import io.eventprocessor.event.ProcessedEvent;
import io.eventprocessor.ingest.AcceptedEvents;
import io.eventprocessor.ingest.ApiError;
import io.eventprocessor.operator.PartitionsView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * In a native binary Jackson sees a record's components only if the type is registered for reflection; without it the
 * JVM build works and the native one writes {@code {}} (measured: {@code 202} answered, {@code {}} on {@code events}
 * and {@code events-processed}, {@code GET /partitions} a 500). No native build runs in CI, so this test holds the rule:
 * every type of the service that Jackson reads or writes, and every one reachable from it through record components
 * (type arguments included), carries {@link RegisterForReflection}.
 */
class JsonTypesRegisteredUnitTest {

    /** What the service hands to Jackson: request and record bodies, API answers, the ownership view. */
    private static final List<Class<?>> ROOTS =
            List.of(Event.class, ProcessedEvent.class, AcceptedEvents.class, ApiError.class, PartitionsView.class);

    @Test
    void everyTypeJacksonSeesIsRegisteredForReflection() {
        Set<Class<?>> reached = reachable(ROOTS);

        assertThat(reached).as("types Jackson sees").hasSizeGreaterThan(ROOTS.size());
        assertThat(reached.stream()
                        .filter(type -> !type.isAnnotationPresent(RegisterForReflection.class))
                        .map(Class::getName))
                .as("types Jackson sees without @RegisterForReflection")
                .isEmpty();
    }

    /** The service's record types reachable from the roots through record components. */
    private static Set<Class<?>> reachable(List<Class<?>> roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            Type type = next.pop();
            if (type instanceof ParameterizedType parameterized) {
                next.add(parameterized.getRawType());
                next.addAll(List.of(parameterized.getActualTypeArguments()));
            } else if (type instanceof Class<?> javaClass
                    && javaClass.getName().startsWith("io.eventprocessor.")
                    && javaClass.isRecord()
                    && seen.add(javaClass)) {
                for (RecordComponent component : javaClass.getRecordComponents()) {
                    next.add(component.getGenericType());
                }
            }
        }
        return seen;
    }
}
