package io.voidrail.dashboard.internal;

/** Where a snapshot comes from: the in-process router, or a client asking a router over the wire. */
public interface BusSource {

    /** Reads the bus now; throws when the router cannot be read (the dashboard then shows the last snapshot). */
    BusSnapshot read(long nowEpochMs);

    boolean local();

    /** The router's address as far as this source knows it, for the page's heading and its hints. */
    String address();
}
