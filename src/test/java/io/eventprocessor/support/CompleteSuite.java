package io.eventprocessor.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs in the complete suite only ({@code ./mvnw verify -Pcompat}, what CI runs), not in a
 * plain {@code ./mvnw verify}: it spends its time waiting out real time spans (session timeouts, outages,
 * shutdown grace periods) or starting several processes, and a faster test in the plain build covers the
 * same code path. docs/testing.md lists both tiers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(CompleteSuite.TAG)
public @interface CompleteSuite {

    String TAG = "complete-suite";
}
