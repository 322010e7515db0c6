package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;

/** A request's deadline on the local monotonic clock, from the time left or, for older peers, the absolute time. */
class DeadlinesTests {

    private static final long NOW = 123_000_000_000L;
    private static final long WALL = 1_800_000_000_000L;

    private static Deadlines.Parsed parse(String json) {
        return Deadlines.parse(JsonCodec.defaults().read(json.getBytes(StandardCharsets.UTF_8)), NOW, WALL);
    }

    @Test
    void timeLeftCountsFromArrivalWhateverTheSendersClockSays() {
        assertThat(parse("{\"timeout_ms\": 1500, \"deadline_ms\": 5}").deadlineNanos()).isEqualTo(NOW + 1_500_000_000L);
        assertThat(parse("{\"timeout_ms\": 0.5}").deadlineNanos()).isEqualTo(NOW + 500_000L);
    }

    @Test
    void theAbsoluteDeadlineOfOlderPeersIsReadOnTheLocalWallClock() {
        assertThat(parse("{\"deadline_ms\": " + (WALL + 2_000) + "}").deadlineNanos()).isEqualTo(NOW + 2_000_000_000L);
        assertThat(parse("{\"deadline_ms\": " + (WALL - 2_000) + "}").deadlineNanos()).as("already over").isEqualTo(NOW);
    }

    @Test
    void noDeadlineOrNullIsNone() {
        assertThat(parse("{}").hasDeadline()).isFalse();
        assertThat(parse("{\"timeout_ms\": null, \"deadline_ms\": null}").hasDeadline()).isFalse();
    }

    @Test
    void absurdValuesAreErrorsNamingTheField() {
        assertThat(parse("{\"timeout_ms\": 1e300}").error()).isEqualTo(
                "Invalid timeout_ms: expected the milliseconds left, 0 to 31536000000, got 1.0E300");
        assertThat(parse("{\"timeout_ms\": -1}").error()).startsWith("Invalid timeout_ms");
        assertThat(parse("{\"timeout_ms\": Infinity}").error()).startsWith("Invalid timeout_ms");
        assertThat(parse("{\"timeout_ms\": [1]}").error()).startsWith("Invalid timeout_ms");
        assertThat(parse("{\"deadline_ms\": -1e300}").error()).startsWith("Invalid deadline_ms: expected Unix epoch");
        assertThat(parse("{\"deadline_ms\": \"" + "x".repeat(100) + "\"}").error()).as("long values are cut").hasSizeLessThan(130);
    }
}
