package io.eventprocessor.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.eventprocessor.support.InProcessKafkaResource;
import io.eventprocessor.support.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kafka.InjectKafkaCompanion;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** Every bad request is answered with a status and a JSON body naming the problem, and nothing reaches Kafka. */
@QuarkusTest
@WithTestResource(InProcessKafkaResource.class)
class EventRequestValidationTest {

    private static final int MAX_BODY_BYTES = 1_048_576;

    @InjectKafkaCompanion
    KafkaCompanion companion;

    @TestHTTPResource("/events")
    URL eventsUrl;

    private long eventsBefore;

    @BeforeEach
    void countEvents() {
        eventsBefore = eventsOnTopic();
    }

    @AfterEach
    void nothingReachedKafka() {
        assertThat(eventsOnTopic()).as("records on topic events").isEqualTo(eventsBefore);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"type\": \"a\",", "", "malformed JSON"),
                Arguments.of("not an object or array", "\"just a string\"", "", "must be an event object"),
                Arguments.of("missing type", "{\"payload\": {}}", "type", "is required"),
                Arguments.of("type not a string", "{\"type\": 7, \"payload\": {}}", "type", "must be a string"),
                Arguments.of("blank type", "{\"type\": \" \", \"payload\": {}}", "type", "must not be blank"),
                Arguments.of("missing payload", "{\"type\": \"a\"}", "payload", "is required"),
                Arguments.of(
                        "key not a string",
                        "{\"type\": \"a\", \"key\": {}, \"payload\": 1}",
                        "key",
                        "must be a string"),
                Arguments.of(
                        "unknown field",
                        "{\"tpye\": \"a\", \"type\": \"a\", \"payload\": 1}",
                        "tpye",
                        "is not a known field"),
                Arguments.of("empty batch", "[]", "", "at least one event"),
                Arguments.of(
                        "batch element not an object",
                        "[{\"type\": \"a\", \"payload\": 1}, 5]",
                        "[1]",
                        "must be a JSON object"),
                Arguments.of(
                        "invalid element in a batch",
                        "[{\"type\": \"a\", \"payload\": 1}, {\"payload\": 2}, {\"type\": \"c\", \"payload\": 3}]",
                        "[1].type",
                        "is required"),
                Arguments.of("batch over the limit", batchOf(501), "", "at most 500 events"),
                Arguments.of("empty body", "", "", "the body must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void invalidBodyIsRejectedNamingTheProblem(String name, String body, String field, String message) {
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("problems.field", hasItem(field))
                .body("problems.find { it.field == '" + field + "' }.message", containsString(message));
    }

    @Test
    void everyProblemOfABatchIsNamed() {
        given().contentType(ContentType.JSON)
                .body("[{\"payload\": 1}, {\"type\": \"b\", \"payload\": 2}, {\"type\": 3}]")
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .body("problems.field", containsInAnyOrder("[0].type", "[2].type", "[2].payload"));
    }

    /** Read while the body is still being written: the answer comes before it is complete, then the close. */
    @Test
    void bodyOverTheLimitIsRejectedWith413() throws Exception {
        ChunkedUpload.Answer answer = ChunkedUpload.sendWithLength(eventsUrl, MAX_BODY_BYTES + 1);

        assertThat(answer.head()).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/json");
        assertThat(answer.body())
                .contains("\"status\":413")
                .contains("over processor.ingest.max-body-bytes=" + MAX_BODY_BYTES)
                .contains("it was not read");
    }

    @Test
    void chunkedBodyOverTheLimitIsRejectedWith413() throws IOException, InterruptedException {
        byte[] body = bigBody(MAX_BODY_BYTES + 1).getBytes();
        HttpRequest request = HttpRequest.newBuilder(URI.create(eventsUrl.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body())
                .contains("\"status\":413")
                .contains("over processor.ingest.max-body-bytes=" + MAX_BODY_BYTES);
    }

    /**
     * A 20 MB chunked upload is refused while it streams: the JSON 413 arrives, the connection closes, and the
     * server's HTTP threads (event loops and workers) allocate a small part of the body's size, not all of it.
     */
    @Test
    void aTwentyMegabyteChunkedUploadIsRefusedWhileItStreamsWithoutBeingBuffered() throws Exception {
        ChunkedUpload.send(eventsUrl, 2 * MAX_BODY_BYTES); // first use of this path: classes load, code warms
        long before = HttpThreadAllocation.bytes();

        ChunkedUpload.Answer answer = ChunkedUpload.send(eventsUrl, 20_000_000);

        long allocated = HttpThreadAllocation.bytes() - before;
        System.out.printf(
                "EventRequestValidationTest: 20 MB chunked upload, %d bytes sent before the answer, "
                        + "%d bytes allocated by HTTP threads%n",
                answer.sent(), allocated);
        assertThat(answer.head()).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        assertThat(answer.body())
                .contains("\"status\":413")
                .contains("over processor.ingest.max-body-bytes=" + MAX_BODY_BYTES)
                .contains("the rest was not read");
        assertThat(allocated).as("bytes allocated by the server's HTTP threads").isLessThan(20_000_000 / 2);
    }

    @Test
    void wrongContentTypeIsRejectedWith415() {
        given().contentType(ContentType.TEXT)
                .body("{\"type\": \"a\", \"payload\": 1}")
                .when()
                .post("/events")
                .then()
                .statusCode(415)
                .contentType(ContentType.JSON)
                .body("status", equalTo(415));
    }

    /** What Windows PowerShell 5.1 and .NET write by default, and the other Unicode encodings JSON must not use. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE"})
    void jsonInAnotherUnicodeEncodingIsRefusedNamingIt(String encoding) {
        byte[] body = "{\"type\": \"a\", \"payload\": {\"x\": 1}}".getBytes(Charset.forName(encoding));

        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("message", equalTo("Not UTF-8"))
                .body("problems[0].message", containsString("encoded as " + encoding.substring(0, 6)))
                .body("problems[0].message", containsString("must be UTF-8"));
    }

    @Test
    void aDeclaredCharsetOtherThanUtf8IsRefusedWith415NamingIt() {
        byte[] latin1 = "{\"type\": \"caf\u00e9\", \"payload\": 1}".getBytes(StandardCharsets.ISO_8859_1);

        given().contentType("application/json; charset=ISO-8859-1")
                .body(latin1)
                .when()
                .post("/events")
                .then()
                .statusCode(415)
                .contentType(ContentType.JSON)
                .body("message", containsString("charset=ISO-8859-1 is not supported"));
    }

    @Test
    void aDeclaredUtf8CharsetIsRead() {
        given().contentType("application/json; charset=UTF-8")
                .body("{\"type\": 7, \"payload\": 1}")
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .body("problems[0].field", equalTo("type"));
    }

    /** One field repeated 100,000 times in a body under the limit: a short answer, not one problem per repeat. */
    @Test
    void problemsAreListedUpToABoundWithACountOfTheRest() {
        String body = "{\"type\": \"a\", \"payload\": 1" + ", \"x\": 1".repeat(100_000) + "}";

        String answer = given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .body("problems.size()", equalTo(100))
                .body("message", containsString("the first 100 of 100000 problems are listed"))
                .extract()
                .asString();

        assertThat(answer.length()).as("bytes of the answer").isLessThan(10_000);
    }

    @Test
    void aFieldNameAsLongAsTheBodyIsCutInTheAnswer() {
        String name = "n".repeat(40_000); // Jackson refuses names over 50,000 characters itself

        String answer = given().contentType(ContentType.JSON)
                .body("{\"type\": \"a\", \"payload\": 1, \"" + name + "\": 1}")
                .when()
                .post("/events")
                .then()
                .statusCode(400)
                .body("problems[0].message", containsString("is not a known field"))
                .extract()
                .asString();

        assertThat(answer.length()).as("bytes of the answer").isLessThan(1_000);
    }

    private long eventsOnTopic() {
        return TopicRecords.endOffsetSum(companion, "events", InProcessKafkaResource.EVENTS_PARTITIONS);
    }

    private static String batchOf(int size) {
        return IntStream.range(0, size)
                .mapToObj(i -> "{\"type\": \"a\", \"payload\": " + i + "}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static String bigBody(int size) {
        char[] filler = new char[size];
        Arrays.fill(filler, 'x');
        return "{\"type\": \"big\", \"payload\": \"" + new String(filler) + "\"}";
    }
}
