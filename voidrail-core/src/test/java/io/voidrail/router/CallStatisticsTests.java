package io.voidrail.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;

import io.voidrail.ErrorCode;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.node.NullNode;

/** The router's per-method figures, driven by a fake clock (nanoseconds). */
class CallStatisticsTests {

    private static final long MS = 1_000_000L;
    private static final long S = 1000 * MS;

    private final CallStatistics stats = new CallStatistics();

    private long now = 1_000 * S;
    private long seq;

    @Test
    void countsAndLatencyPercentilesOverTheWindow() {
        // 100 calls taking 1..100 ms each, queueing included
        for (int i = 1; i <= 100; i++) {
            Call call = accept("Svc.work");
            now += i * MS;
            stats.answered(call, reply(), now);
        }
        RouterStatus.MethodStats work = stats.methodStats(now).get("Svc.work");
        assertThat(work.calls()).isEqualTo(100);
        assertThat(work.succeeded()).isEqualTo(100);
        assertThat(work.failed()).isZero();
        assertThat(work.p50Millis()).isCloseTo(50, within(50 * 0.13));
        assertThat(work.p99Millis()).isCloseTo(99, within(99 * 0.13));
        // 100 answers in the 5.05 s since the method was first seen
        assertThat(work.callsPerSecond()).isCloseTo(100 / 5.05, within(0.5));
    }

    @Test
    void oldAnswersLeaveTheWindowButCountsStay() {
        for (int i = 0; i < 10; i++) {
            Call call = accept("Svc.slow");
            now += 800 * MS;
            stats.answered(call, reply(), now);
        }
        now += 2 * CallStatistics.WINDOW.toNanos();
        Call fast = accept("Svc.slow");
        now += 2 * MS;
        stats.answered(fast, reply(), now);
        RouterStatus.MethodStats slow = stats.methodStats(now).get("Svc.slow");
        assertThat(slow.calls()).isEqualTo(11);
        assertThat(slow.succeeded()).isEqualTo(11);
        assertThat(slow.p99Millis()).isCloseTo(2, within(0.3));
        assertThat(slow.callsPerSecond()).isCloseTo(1.0 / 60, within(0.01));
    }

    @Test
    void aMethodWithNothingAnsweredInTheWindowReportsZeroes() {
        accept("Svc.waiting");
        RouterStatus.MethodStats waiting = stats.methodStats(now).get("Svc.waiting");
        assertThat(waiting).isEqualTo(new RouterStatus.MethodStats(1, 0, 0, 0, 0, 0));
    }

    @Test
    void errorsAreCountedByCodeAndTheLastOnesKeptNewestFirst() {
        Call failing = accept("Svc.fail");
        now += 5 * MS;
        stats.answered(failing, new Reply(Reply.Kind.ERROR, "r", NullNode.getInstance(),
                "Method execution error: boom", ErrorCode.UNKNOWN), now); // a Python dealer's error has no code
        Call late = accept("Svc.work");
        now += 3 * S;
        stats.failed(late, "Deadline exceeded while queued for Svc.work", ErrorCode.DEADLINE_EXCEEDED, now);

        assertThat(stats.errorCounts()).containsOnlyKeys(ErrorCode.EXECUTION_ERROR, ErrorCode.DEADLINE_EXCEEDED);
        List<RouterStatus.CallError> recent = stats.recentErrors(now + 1 * S);
        assertThat(recent).extracting(RouterStatus.CallError::code)
                .containsExactly(ErrorCode.DEADLINE_EXCEEDED, ErrorCode.EXECUTION_ERROR);
        assertThat(recent.get(0).message()).isEqualTo("Deadline exceeded while queued for Svc.work");
        assertThat(recent.get(0).age()).isEqualTo(Duration.ofSeconds(1));
        assertThat(recent.get(1).age()).isEqualTo(Duration.ofSeconds(4));
        assertThat(stats.methodStats(now).get("Svc.fail").failed()).isEqualTo(1);
    }

    @Test
    void memoryIsBounded() {
        for (int i = 0; i < CallStatistics.MAX_RECENT_ERRORS + 5; i++) {
            stats.failed(accept("Svc.m" + i), "x".repeat(1000), ErrorCode.QUEUE_FULL, now);
            now += MS;
        }
        for (int i = 0; i < CallStatistics.MAX_METHODS + 50; i++) {
            accept("Invented.name" + i);
            now += MS;
        }
        assertThat(stats.recentErrors(now)).hasSize(CallStatistics.MAX_RECENT_ERRORS)
                .allSatisfy(error -> assertThat(error.message()).hasSize(CallStatistics.MAX_ERROR_TEXT));
        assertThat(stats.errorCounts()).containsEntry(ErrorCode.QUEUE_FULL, (long) CallStatistics.MAX_RECENT_ERRORS + 5);
        // the least recently used methods were forgotten, the newest kept
        assertThat(stats.methodStats(now)).hasSize(CallStatistics.MAX_METHODS)
                .containsKey("Invented.name" + (CallStatistics.MAX_METHODS + 49))
                .doesNotContainKey("Svc.m0");
    }

    @Test
    void binsCoverEveryLatencyWithinAnEighth() {
        for (long micros : new long[] { 0, 1, 7, 8, 15, 16, 999, 1_000_000, 3_600_000_000L }) {
            double middle = CallStatistics.binMiddle(CallStatistics.bin(micros));
            assertThat(middle).isCloseTo(micros, within(Math.max(0.5, micros * 0.125)));
        }
    }

    private static final Header NO_HEADER = new Header(JsonCodec.defaults().object(), -1, -1);

    private Call accept(String method) {
        Call call = new Call(new byte[] { 1 }, "c", method, "r", List.of(), 0, now, seq++, NO_HEADER);
        stats.accepted(method, now);
        return call;
    }

    private static Reply reply() {
        return new Reply(Reply.Kind.REPLY, "r", NullNode.getInstance(), null, ErrorCode.UNKNOWN);
    }
}
