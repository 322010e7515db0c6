package io.voidrail.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a repeated warning from flooding the log: the first occurrence of a subject is logged, then at most one
 * line per interval, counting the ones left out. A peer that reconnects ten times a second is one line a minute.
 * Not thread-safe: one per thread.
 */
public final class LogThrottle {

    /** Subjects remembered at most; beyond, all are forgotten (their next line comes early, nothing grows). */
    private static final int MAX_SUBJECTS = 1024;

    private final long intervalNanos;
    private final Map<String, long[]> subjects = new HashMap<>();

    public LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * Whether to log this occurrence now.
     *
     * @return -1 to stay silent, otherwise how many occurrences were left out since the last line
     */
    public long admit(String subject, long nowNanos) {
        long[] state = subjects.get(subject); // {last logged, left out since}
        if (state != null && nowNanos - state[0] < intervalNanos) {
            state[1]++;
            return -1;
        }
        if (state == null) {
            if (subjects.size() >= MAX_SUBJECTS) {
                subjects.clear();
            }
            subjects.put(subject, new long[] { nowNanos, 0 });
            return 0;
        }
        long leftOut = state[1];
        state[0] = nowNanos;
        state[1] = 0;
        return leftOut;
    }

    /** A warning line for {@code subject}, at most one per interval; the count of the left-out ones is appended. */
    public void warn(org.slf4j.Logger log, String subject, long nowNanos, String format, Object... args) {
        long leftOut = admit(subject, nowNanos);
        if (leftOut >= 0) {
            log.warn(format + (leftOut > 0 ? " [" + leftOut + " more like it in the last interval]" : ""), args);
        }
    }
}
