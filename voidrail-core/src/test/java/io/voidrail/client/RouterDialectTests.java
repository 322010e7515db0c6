package io.voidrail.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.voidrail.ErrorCode;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.protocol.Protocol;
import io.voidrail.internal.protocol.Reply;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The client's one place of guesses: exact rules for a router that announces correlation, Python's for any other. */
class RouterDialectTests {

    static final JsonCodec CODEC = JsonCodec.defaults();

    /** The recorded Python router's answer (vectors, scenario router_info): no capabilities. */
    static final String PYTHON_INFO = "{\"mode\": \"fifo\", \"address\": \"tcp://127.0.0.1:36889\", "
            + "\"heartbeat_timeout\": 30.0, \"active_services\": 1, \"total_services\": 1, \"queue_stats\": {}, "
            + "\"auth_required\": false}";

    static JsonNode json(String text) {
        return CODEC.readOrNull(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Reply reply(String text) {
        return Reply.parse(json(text));
    }

    /** What a Java router announces: every capability of this version, and its message size limit. */
    static JsonNode javaInfo() {
        ObjectNode info = (ObjectNode) json(PYTHON_INFO);
        info.put(Protocol.IMPLEMENTATION_KEY, Protocol.IMPLEMENTATION).put(Protocol.MAX_MESSAGE_SIZE, 1024);
        Protocol.ROUTER_CAPABILITIES.forEach(info.putArray(Protocol.CAPABILITIES_KEY)::add);
        return info;
    }

    @Test
    void aPythonRouterGetsTheGuessesOfThePythonProtocolAndNoExtension() {
        RouterDialect python = RouterDialect.of(json(PYTHON_INFO));

        assertThat(python).isEqualTo(RouterDialect.PYTHON);
        assertThat(python.canCancel() || python.canCredit() || python.judgesDeadlines()).isFalse();
        assertThat(python.maxMessageSize()).isZero();
        // codes from the texts of PROTOCOL.md sections 4 to 6
        assertThat(python.codeOf(null, "Method execution error: boom")).isEqualTo(ErrorCode.EXECUTION_ERROR);
        assertThat(python.codeOf(null, "Method EchoService.nope not found")).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(python.codeOf(null, "No available service for method EchoService.echo")).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(python.codeOf(null, "Not authenticated")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(python.codeOf(null, "Authentication failed")).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(python.codeOf(null, "Something else")).isEqualTo(ErrorCode.UNKNOWN);
        // a code that came wins over the text
        assertThat(python.codeOf(reply("{\"type\": \"error\", \"error\": \"Method x not found\", \"code\": \"CANCELLED\"}"),
                "Method x not found")).isEqualTo(ErrorCode.CANCELLED);
        // a Python dealer's id-less error, and a Python router's error with an id it made up, answer the oldest call
        assertThat(python.answersOldestCall(reply("{\"type\": \"error\", \"error\": \"Method execution error: boom\"}")))
                .isTrue();
        assertThat(python.answersOldestCall(reply("{\"type\": \"error\", \"request_id\": \"made-up\", "
                + "\"error\": \"No available service for method EchoService.echo\"}"))).isTrue();
        // a late result names a call the client no longer waits for: it answers nothing
        assertThat(python.answersOldestCall(reply("{\"type\": \"reply\", \"request_id\": \"late\", \"result\": 1}")))
                .isFalse();
        assertThat(python.routerErrorsMayAnswerCalls()).isTrue();
    }

    @Test
    void aRouterThatWouldNotSayIsTreatedAsAPythonOne() {
        assertThat(RouterDialect.of(null)).isEqualTo(RouterDialect.PYTHON);
        assertThat(RouterDialect.of(json("{\"capabilities\": \"correlation\"}")).exact()).isFalse();
    }

    @Test
    void aJavaRouterIsHeldToExactRules() {
        RouterDialect java = RouterDialect.of(javaInfo());

        assertThat(java.exact()).isTrue();
        assertThat(java.canCancel()).isTrue();
        assertThat(java.canCredit()).isTrue();
        assertThat(java.judgesDeadlines()).isTrue();
        assertThat(java.maxMessageSize()).isEqualTo(1024);
        // no code is made up from a text: what the router sent is the code
        assertThat(java.codeOf(null, "Method execution error: boom")).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(java.codeOf(reply("{\"type\": \"error\", \"request_id\": \"r\", \"error\": \"Method execution error: "
                + "boom\", \"code\": \"EXECUTION_ERROR\"}"), "Method execution error: boom"))
                .isEqualTo(ErrorCode.EXECUTION_ERROR);
        // it names the call of every answer: one that names none answers nothing, and router errors only questions
        assertThat(java.answersOldestCall(reply("{\"type\": \"error\", \"error\": \"Method execution error: boom\"}")))
                .isFalse();
        assertThat(java.answersOldestCall(reply("{\"type\": \"error\", \"request_id\": \"other\", \"error\": \"x\"}")))
                .isFalse();
        assertThat(java.routerErrorsMayAnswerCalls()).isFalse();
    }

    @Test
    void aRouterIsExactOnlyWhenItAnnouncesCorrelation() {
        ObjectNode info = (ObjectNode) json(PYTHON_INFO);
        info.put(Protocol.IMPLEMENTATION_KEY, Protocol.IMPLEMENTATION); // an implementation alone promises nothing
        info.putArray(Protocol.CAPABILITIES_KEY).add(Protocol.CAP_CANCEL);

        RouterDialect dialect = RouterDialect.of(info);

        assertThat(dialect.exact()).isFalse();
        assertThat(dialect.canCancel()).isTrue();
        assertThat(dialect.codeOf(null, "Method execution error: boom")).isEqualTo(ErrorCode.EXECUTION_ERROR);
    }
}
