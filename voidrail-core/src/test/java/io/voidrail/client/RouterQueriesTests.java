package io.voidrail.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.codec.JsonCodec;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;

/** Router answers read as the status model: what a router says is kept, what it does not say stays unknown. */
class RouterQueriesTests {

    static final JsonCodec CODEC = JsonCodec.defaults();

    final RouterQueries queries = new RouterQueries(() -> {
        throw new AssertionError("no question is sent");
    }, CODEC, Duration.ofSeconds(1), false, false);

    static JsonNode json(String text) {
        return CODEC.readOrNull(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aJavaRoutersExtensionsAreRead() {
        JsonNode info = json("{\"mode\": \"load_balance\", \"address\": \"tcp://h:1\", \"heartbeat_timeout\": 5.0, "
                + "\"auth_required\": true, \"uptime\": 12.5, \"total_requests\": 7, \"total_responses\": 6, "
                + "\"implementation\": \"voidrail-java/1.0\", \"curve\": false, "
                + "\"method_stats\": {\"E.echo\": {\"calls\": 3, \"succeeded\": 2, \"failed\": 1, "
                + "\"calls_per_second\": 0.5, \"p50_ms\": 1.5, \"p99_ms\": 9.0}}, "
                + "\"error_counts\": {\"EXECUTION_ERROR\": 1}, "
                + "\"recent_errors\": [{\"method\": \"E.fail\", \"code\": \"EXECUTION_ERROR\", \"error\": \"boom\", "
                + "\"age_ms\": 250}]}");

        RouterStatus status = RouterQueries.status(info, Map.of(), Map.of(), true);

        assertThat(status.mode()).isEqualTo(RouterMode.LOAD_BALANCE);
        assertThat(status.authRequired()).isTrue();
        assertThat(status.curve()).as("what the router says wins").isFalse();
        assertThat(status.implementation()).isEqualTo("voidrail-java/1.0");
        assertThat(status.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(status.uptime()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(status.totalRequests()).isEqualTo(7);
        assertThat(status.totalResponses()).isEqualTo(6);
        assertThat(status.methodStats()).containsExactly(
                Map.entry("E.echo", new RouterStatus.MethodStats(3, 2, 1, 0.5, 1.5, 9.0)));
        assertThat(status.errorCounts()).containsExactly(Map.entry(ErrorCode.EXECUTION_ERROR, 1L));
        assertThat(status.recentErrors()).containsExactly(
                new RouterStatus.CallError("E.fail", ErrorCode.EXECUTION_ERROR, "boom", Duration.ofMillis(250)));
    }

    @Test
    void whatARouterDoesNotSayStaysUnknown() {
        RouterStatus status = RouterQueries.status(json("{\"mode\": \"round_robin\", \"address\": \"tcp://h:1\"}"),
                Map.of(), Map.of(), true);

        assertThat(status.mode()).as("a mode this version does not know").isNull();
        assertThat(status.curve()).as("this client reached it with CURVE").isTrue();
        assertThat(status.implementation()).isNull();
        assertThat(status.heartbeatTimeout()).isNull();
        assertThat(status.uptime()).isNull();
        assertThat(status.totalRequests()).isEqualTo(RouterStatus.UNKNOWN_COUNT);
        assertThat(status.totalResponses()).isEqualTo(RouterStatus.UNKNOWN_COUNT);
        assertThat(status.methodStats()).isEmpty();
        assertThat(status.errorCounts()).isEmpty();
        assertThat(status.recentErrors()).isEmpty();
        assertThat(RouterQueries.queues(json("{\"m\": {\"queue_length\": 2, \"available_services\": 0, "
                + "\"busy_services\": 1}}"))).containsExactly(Map.entry("m", new RouterStatus.Queue(2, 0, 1, null)));
    }

    @Test
    void clustersKeepTheWireStateAndAnUnknownOneIsUnknown() {
        Map<String, RouterStatus.Dealer> dealers = queries.clusters(json("{\"E-1\": {\"service_id\": \"E-1\", "
                + "\"group\": \"E\", \"methods\": {\"E.echo\": {}}, \"state\": \"draining\", \"max_concurrent\": 4, "
                + "\"current_load\": 2, \"request_count\": 9, \"reply_count\": 7, \"last_heartbeat\": 1.5, "
                + "\"slots\": 3, \"implementation\": \"voidrail-java/1.0\", \"host_info\": {\"pid\": 42}}}"));

        assertThat(dealers).containsExactly(Map.entry("E-1", new RouterStatus.Dealer("E-1", "E", List.of("E.echo"),
                DealerState.UNKNOWN, 4, 3, 2, 9, 7, Instant.ofEpochMilli(1500), "voidrail-java/1.0", Map.of("pid", 42))));
        assertThat(DealerState.fromWire("overload")).isEqualTo(DealerState.OVERLOAD);
    }
}
