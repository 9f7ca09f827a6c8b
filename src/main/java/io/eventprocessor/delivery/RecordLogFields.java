package io.eventprocessor.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.MDC;

/**
 * Log entries about one consumed record carry its coordinates as fields: in the JSON log (production) the
 * entry's {@code mdc} object holds {@code topic}, {@code partition}, {@code offset} and, when the record could be
 * read, {@code eventId}, so a log search finds every entry of one record; dev mode's plain-text log has them in
 * the message.
 */
public final class RecordLogFields {

    static final String TOPIC = "topic";
    static final String PARTITION = "partition";
    static final String OFFSET = "offset";
    static final String EVENT_ID = "eventId";

    private RecordLogFields() {}

    /**
     * Runs {@code log} with the record's fields set on this thread, and clears them afterwards.
     *
     * @param eventId the event's {@code id}, or {@code null} when the record could not be read
     */
    public static void around(ConsumerRecord<?, ?> record, String eventId, Runnable log) {
        MDC.put(TOPIC, record.topic());
        MDC.put(PARTITION, String.valueOf(record.partition()));
        MDC.put(OFFSET, String.valueOf(record.offset()));
        if (eventId != null) {
            MDC.put(EVENT_ID, eventId);
        }
        try {
            log.run();
        } finally {
            MDC.remove(TOPIC);
            MDC.remove(PARTITION);
            MDC.remove(OFFSET);
            MDC.remove(EVENT_ID);
        }
    }
}
