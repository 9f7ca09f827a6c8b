package io.eventprocessor.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * Says in the log why a token was refused, which the caller is not told: the first refusal of each cause at WARN,
 * then at most one a minute per cause (with how many there were in between), the others at DEBUG. A first deployment
 * with a wrong issuer, audience, key or role claim shows its cause at once, and a client retrying with a bad token
 * cannot fill the log.
 */
@ApplicationScoped
public class RefusedTokenLog {

    /** At most one WARN per cause in this time. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private static final int MAX_DETAIL_CHARS = 300;

    /** When the last WARN of a cause was logged, and how many refusals of it went to DEBUG since. */
    private record Warned(Instant at, long since) {}

    private final Clock clock;
    private final Map<String, Warned> warned = new ConcurrentHashMap<>();

    public RefusedTokenLog(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param cause what the refusals to count together have in common, e.g. the failure's class and message shape
     * @param message what to log, without the token itself
     */
    void refused(String cause, String message) {
        Instant now = clock.instant();
        String key = cause.length() > 200 ? cause.substring(0, 200) : cause;
        long[] quietened = {-1};
        warned.compute(key, (k, last) -> {
            if (last == null || !now.isBefore(last.at().plus(QUIET))) {
                quietened[0] = last == null ? 0 : last.since();
                return new Warned(now, 0);
            }
            return new Warned(last.at(), last.since() + 1);
        });
        if (quietened[0] < 0) {
            Log.debug(cut(message));
        } else if (quietened[0] == 0) {
            Log.warn(cut(message));
        } else {
            Log.warnf(
                    "%s (and %d more refusal(s) for this cause since the last such line, logged at DEBUG)",
                    cut(message), quietened[0]);
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_DETAIL_CHARS ? text : text.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
