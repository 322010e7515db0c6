package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.voidrail.VoidRailException;
import io.voidrail.protocol.ErrorCode;

/**
 * The outcome of every call a fault test made: answered, ended with an explicit error (by code), or lost (never
 * ended within the bound). Prints the report line {@code RELIABILITY <name> submitted=.. answered=.. errors=..
 * lost=.. last_end_ms=..}, where last_end_ms is the time from the fault to the last call ending.
 */
final class CallTally {

    private final String name;
    private final List<Entry> calls = new ArrayList<>();
    private long faultNanos = System.nanoTime();

    CallTally(String name) {
        this.name = name;
    }

    /** The moment of the fault (default: when the tally was made). */
    void fault() {
        faultNanos = System.nanoTime();
    }

    long faultNanos() {
        return faultNanos;
    }

    synchronized <T> CompletableFuture<T> add(CompletableFuture<T> call) {
        Entry entry = new Entry(System.nanoTime(), call);
        calls.add(entry);
        call.whenComplete((value, error) -> entry.endNanos = System.nanoTime());
        return call;
    }

    /** Waits up to {@code bound} for every call to end, prints the line, and asserts that none was lost. */
    synchronized Result finish(Duration bound) {
        long until = System.nanoTime() + bound.toNanos();
        int answered = 0;
        int lost = 0;
        Map<ErrorCode, Integer> errors = new TreeMap<>();
        long lastEnd = faultNanos;
        for (Entry entry : calls) {
            try {
                entry.call.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                answered++;
            }
            catch (java.util.concurrent.TimeoutException ex) {
                lost++;
                continue;
            }
            catch (Exception ex) {
                errors.merge(codeOf(ex), 1, Integer::sum);
            }
            lastEnd = Math.max(lastEnd, entry.endNanos);
        }
        int errorCount = errors.values().stream().mapToInt(Integer::intValue).sum();
        long lastEndMs = (lastEnd - faultNanos) / 1_000_000;
        System.out.println("RELIABILITY " + name + " submitted=" + calls.size() + " answered=" + answered + " errors="
                + errorCount + (errors.isEmpty() ? "" : " " + errors) + " lost=" + lost + " last_end_ms=" + lastEndMs);
        assertThat(lost).as("calls that never ended within " + bound).isZero();
        return new Result(calls.size(), answered, errors, lastEndMs);
    }

    /** Milliseconds from the fault to the first call that ended with an answer after it; -1 when none did. */
    synchronized long firstAnswerAfterFaultMs() {
        long first = Long.MAX_VALUE;
        for (Entry entry : calls) {
            if (entry.call.isDone() && !entry.call.isCompletedExceptionally() && entry.endNanos - faultNanos > 0) {
                first = Math.min(first, entry.endNanos - faultNanos);
            }
        }
        return first == Long.MAX_VALUE ? -1 : first / 1_000_000;
    }

    /** Calls submitted more than {@code after} past the fault that did not end with an answer. */
    synchronized long failedSubmittedLaterThan(Duration after) {
        return calls.stream().filter(entry -> entry.startNanos - faultNanos > after.toNanos())
                .filter(entry -> !entry.call.isDone() || entry.call.isCompletedExceptionally()).count();
    }

    static ErrorCode codeOf(Throwable error) {
        if (error instanceof java.util.concurrent.CancellationException) {
            return ErrorCode.CANCELLED; // the caller cancelled its future
        }
        Throwable cause = error;
        while (cause != null && !(cause instanceof VoidRailException)) {
            cause = cause.getCause();
        }
        return cause instanceof VoidRailException remote ? remote.code() : ErrorCode.UNKNOWN;
    }

    record Result(int submitted, int answered, Map<ErrorCode, Integer> errors, long lastEndMs) {
    }

    private static final class Entry {
        final long startNanos;
        final CompletableFuture<?> call;
        volatile long endNanos;

        Entry(long startNanos, CompletableFuture<?> call) {
            this.startNanos = startNanos;
            this.call = call;
        }
    }
}
