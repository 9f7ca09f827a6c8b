package io.eventprocessor.exactlyonce;

import io.eventprocessor.partitions.TransactionalUpstreamTest;
import io.eventprocessor.support.InProcessKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TransactionalUpstreamTest} with {@code processor.delivery=exactly-once}. */
@QuarkusTest
@TestProfile(TransactionalUpstreamExactlyOnceTest.Profile.class)
@WithTestResource(InProcessKafkaResource.class)
class TransactionalUpstreamExactlyOnceTest extends TransactionalUpstreamTest {

    public static class Profile extends TransactionalUpstreamTest.Profile {
        @Override
        protected String delivery() {
            return "exactly-once";
        }

        @Override
        protected String topic() {
            return "upstream-tx-eos";
        }
    }

    @Override
    protected String topic() {
        return "upstream-tx-eos";
    }
}
