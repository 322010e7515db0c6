package io.voidrail.client;

/**
 * Where a client stands with its router, as it knows it (gRPC's connectivity states, reduced to what a VoidRail
 * client can tell). Only {@link #READY} means that the client has heard from the router recently.
 */
public enum ConnectionState {
    /** Not connected: never used, or closed. The next call connects. */
    IDLE,
    /**
     * Connecting, or the router has been silent for more than 1.25 heartbeat intervals: calls wait for it, up to the
     * connect timeout.
     */
    CONNECTING,
    /** The router answered within the last 1.25 heartbeat intervals: calls are sent at once. */
    READY,
    /**
     * No router has answered within the connect timeout: calls fail at once with {@code UNAVAILABLE}, except those
     * that wait for ready (they wait up to their deadline). The client keeps trying.
     */
    UNAVAILABLE
}
