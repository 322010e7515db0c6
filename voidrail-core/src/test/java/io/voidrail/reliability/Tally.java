package io.voidrail.reliability;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.awaitility.core.ConditionTimeoutException;

import io.voidrail.VoidRailException;
import io.voidrail.ErrorCode;

/**
 * The calls of one fault test and how each ended: answered, an explicit error (by code), or lost (no end within the
 * test's bound, or only the client's own deadline). Times count from the fault.
 */
final class Tally {

    /** How one call ended; {@code code} is null when it was answered. */
    record Outcome(String label, String result, ErrorCode code, String error, long endNanos) {
    }

    private record Submitted(String label, CompletableFuture<String> future) {
    }

    private final String name;
    private final List<Submitted> calls = new ArrayList<>();
    private final List<Outcome> outcomes = new ArrayList<>();
    private long faultNanos = System.nanoTime();

    Tally(String name) {
        this.name = name;
    }

    /** Records when the call ends; {@code label} says what it was (e.g. the method). */
    void submit(String label, CompletableFuture<String> call) {
        CompletableFuture<String> ended = new CompletableFuture<>();
        call.whenComplete((result, error) -> {
            long at = System.nanoTime();
            synchronized (outcomes) {
                if (error == null) {
                    outcomes.add(new Outcome(label, result, null, null, at));
                }
                else {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                            : error;
                    ErrorCode code = cause instanceof VoidRailException vr ? vr.code() : ErrorCode.UNKNOWN;
                    outcomes.add(new Outcome(label, null, code, cause.getMessage(), at));
                }
            }
            ended.complete(result);
        });
        calls.add(new Submitted(label, ended));
    }

    /** The fault happens now: end times count from here. */
    void fault() {
        faultNanos = System.nanoTime();
    }

    long faultNanos() {
        return faultNanos;
    }

    /** Waits until every call ended, at most {@code bound} after the fault. */
    Tally awaitEnd(Duration bound) {
        Duration left = bound.minusNanos(System.nanoTime() - faultNanos);
        try {
            await().atMost(left.isNegative() ? Duration.ofMillis(1) : left).pollInterval(Duration.ofMillis(20))
                    .until(() -> calls.stream().allMatch(c -> c.future().isDone()));
        }
        catch (ConditionTimeoutException ex) {
            // counted as lost below
        }
        return this;
    }

    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    int submitted() {
        return calls.size();
    }

    List<Outcome> answered() {
        return outcomes().stream().filter(o -> o.code() == null).toList();
    }

    /** Errors the router or dealer sent; the client's own "No answer ... before the deadline" is a lost call. */
    List<Outcome> errors() {
        return outcomes().stream().filter(o -> o.code() != null && !clientGaveUp(o)).toList();
    }

    int lost() {
        return submitted() - answered().size() - errors().size();
    }

    private static boolean clientGaveUp(Outcome outcome) {
        return outcome.code() == ErrorCode.DEADLINE_EXCEEDED && outcome.error().startsWith("No answer from");
    }

    /** Milliseconds from the fault to the last end (negative when everything ended before it). */
    long lastEndMillis() {
        return outcomes().stream().mapToLong(o -> (o.endNanos() - faultNanos) / 1_000_000L).max().orElse(-1);
    }

    /** Milliseconds from the fault to the last end of a call that matches. */
    long lastEndMillis(java.util.function.Predicate<Outcome> which) {
        return outcomes().stream().filter(which).mapToLong(o -> (o.endNanos() - faultNanos) / 1_000_000L).max().orElse(-1);
    }

    /** One line for the report: {@code RELIABILITY <name> submitted=.. answered=.. errors=..(CODE=n) lost=.. last_end_ms=..}. */
    String summary(String extra) {
        Map<ErrorCode, Integer> codes = new TreeMap<>();
        errors().forEach(o -> codes.merge(o.code(), 1, Integer::sum));
        String line = "RELIABILITY " + name + " submitted=" + submitted() + " answered=" + answered().size() + " errors="
                + errors().size() + (codes.isEmpty() ? "" : codes.toString().replace(" ", "")) + " lost=" + lost()
                + " last_end_ms=" + lastEndMillis() + (extra.isEmpty() ? "" : " " + extra);
        System.out.println(line);
        return line;
    }
}
