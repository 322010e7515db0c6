package io.voidrail.client;

/**
 * The client's timing policy for one router, apart from sockets: when it is ready, when to ping it, when it is
 * unavailable and when its connection is replaced. Times are {@code System.nanoTime()} values passed in, so that
 * tests drive it with a fake clock. Used by the client's I/O thread only.
 *
 * <ul>
 * <li>Any message from the router counts as hearing from it. It is {@code READY} once it has described itself
 * ({@code router_info}) on the current connection and for 1.25 heartbeat intervals after it was last heard.</li>
 * <li>A router not heard from for half a heartbeat interval is pinged ({@code router_monitor}), at most once per
 * half interval.</li>
 * <li>A router not heard from for the connect timeout (at least the ready bound) is {@code UNAVAILABLE} until it
 * speaks again; its connection is replaced then and after every further connect timeout, so that nothing queued
 * for a dead router reaches a revived one.</li>
 * </ul>
 */
final class RouterLiveness {

    private final long readyNanos;
    private final long unavailableNanos;
    private final long pingNanos;
    /** When the router was last heard, or when the client first connected to it. */
    private long silentSince;
    private long openedAt;
    private long lastPing;
    private boolean opened;
    private boolean described;
    private boolean unavailable;

    RouterLiveness(long heartbeatIntervalNanos, long connectTimeoutNanos) {
        this.readyNanos = heartbeatIntervalNanos + heartbeatIntervalNanos / 4;
        this.unavailableNanos = Math.max(connectTimeoutNanos, readyNanos);
        this.pingNanos = Math.max(1, heartbeatIntervalNanos / 2);
    }

    /** A new connection: its first messages ({@code auth}, {@code router_info}) count as a ping. */
    void opened(long now) {
        if (!opened) {
            silentSince = now;
            opened = true;
        }
        openedAt = now;
        lastPing = now;
        described = false;
    }

    void heard(long now) {
        silentSince = now;
        unavailable = false;
    }

    /** The router answered {@code router_info} on the current connection: the client knows what it understands. */
    void described() {
        described = true;
    }

    ConnectionState state(long now) {
        if (described && now - silentSince < readyNanos) {
            return ConnectionState.READY;
        }
        return unavailable ? ConnectionState.UNAVAILABLE : ConnectionState.CONNECTING;
    }

    /** Not ready, and silent for longer than the ready bound: time to use another router if one is ready. */
    boolean overdue(long now) {
        return state(now) != ConnectionState.READY && now - silentSince >= readyNanos;
    }

    boolean pingDue(long now) {
        return now - Math.max(silentSince, lastPing) >= pingNanos;
    }

    void pinged(long now) {
        lastPing = now;
    }

    /** Whether the router has just become unavailable (true once per silence). */
    boolean becameUnavailable(long now) {
        if (!unavailable && now - silentSince >= unavailableNanos) {
            unavailable = true;
            return true;
        }
        return false;
    }

    boolean isUnavailable() {
        return unavailable;
    }

    /** An unavailable router's connection is replaced once per connect timeout. */
    boolean reopenDue(long now) {
        return unavailable && now - openedAt >= unavailableNanos;
    }

    long silentNanos(long now) {
        return now - silentSince;
    }

    /** Whether the router was heard after {@code since} (a call was sent, a stream item came). */
    boolean heardAfter(long since) {
        return silentSince - since > 0;
    }

    long unavailableNanos() {
        return unavailableNanos;
    }
}
