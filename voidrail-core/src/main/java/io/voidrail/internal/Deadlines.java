package io.voidrail.internal;

import static io.voidrail.internal.protocol.Protocol.DEADLINE_MS;
import static io.voidrail.internal.protocol.Protocol.TIMEOUT_MS;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;

/**
 * A REQUEST's deadline on the local monotonic clock, taken on arrival: from {@code "timeout_ms"} (time left when it
 * was sent, so other machines' clocks do not matter), else from the older {@code "deadline_ms"} (Unix epoch
 * milliseconds of the sender's clock, as older Java peers send it). Absurd values are refused, never clamped silently.
 */
public final class Deadlines {

    /** The longest deadline accepted: a year. Beyond it (1e300 and the like) a value is a mistake. */
    public static final long MAX_MILLIS = 365L * 24 * 3600 * 1000;

    private static final Parsed NONE = new Parsed(0, null);

    /**
     * @param deadlineNanos the {@code System.nanoTime()} at which the call's time is over; 0 when it has none
     * @param error         why the request's deadline cannot be used, naming the field; {@code null} when it can
     */
    public record Parsed(long deadlineNanos, @Nullable String error) {

        public boolean hasDeadline() {
            return deadlineNanos != 0;
        }
    }

    private Deadlines() {
    }

    /**
     * @param nowNanos   {@code System.nanoTime()} of the arrival
     * @param wallMillis {@code System.currentTimeMillis()} of the arrival, used only for {@code deadline_ms}
     */
    public static Parsed parse(JsonNode request, long nowNanos, long wallMillis) {
        JsonNode timeout = request.get(TIMEOUT_MS);
        if (timeout != null && !timeout.isNull()) {
            double left = millis(timeout);
            if (!(left >= 0 && left <= MAX_MILLIS)) {
                return invalid(TIMEOUT_MS, timeout, "the milliseconds left, 0 to " + MAX_MILLIS);
            }
            return after(nowNanos, left);
        }
        JsonNode deadline = request.get(DEADLINE_MS);
        if (deadline != null && !deadline.isNull()) {
            double left = millis(deadline) - wallMillis;
            if (!(Math.abs(left) <= MAX_MILLIS)) {
                return invalid(DEADLINE_MS, deadline, "Unix epoch milliseconds within a year of now");
            }
            return after(nowNanos, Math.max(0, left));
        }
        return NONE;
    }

    private static double millis(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN; // NaN fails every range check
    }

    private static Parsed after(long nowNanos, double millis) {
        long at = nowNanos + (long) (millis * 1_000_000);
        return new Parsed(at == 0 ? 1 : at, null); // 0 means "none"
    }

    private static Parsed invalid(String field, JsonNode value, String expected) {
        String shown = value.toString();
        return new Parsed(0, "Invalid " + field + ": expected " + expected + ", got "
                + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown));
    }
}
