package io.voidrail.client;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

import io.voidrail.VoidRailException;
import io.voidrail.internal.protocol.MessageType;
import tools.jackson.databind.JsonNode;

/**
 * The client's connection to one router: its socket, its liveness, what it announced, and the questions waiting for
 * its answers. Touched by the client's I/O thread only (except the volatile flags).
 */
final class RouterLink {

    final String address;
    final int index;
    final RouterLiveness liveness;
    /** Questions sent on this connection, by the answer they wait for, oldest first. */
    final Map<MessageType, ArrayDeque<Pending.Control>> controls = new EnumMap<>(MessageType.class);
    ZMQ.@Nullable Socket socket;
    /** The sockets opened to this router so far. */
    int connections;
    /** The connection is to be replaced by a fresh socket (silence, failover). */
    boolean reopen;
    /** Why the router's host name did not resolve when the socket was connected; {@code null} when it did. */
    @Nullable String unresolved;
    /** The router refused this client's key; cleared when it accepts it. */
    @Nullable VoidRailException authFailure;

    /** What the router announced in {@code router_info} on this connection; the Python protocol until it answers. */
    volatile RouterDialect dialect = RouterDialect.PYTHON;

    RouterLink(String address, int index, RouterLiveness liveness) {
        this.address = address;
        this.index = index;
        this.liveness = liveness;
    }

    boolean ready(long now) {
        return liveness.state(now) == ConnectionState.READY;
    }

    /** Reads a {@code router_info} result; {@code null} when the router would not say (it refused the question). */
    void describe(@Nullable JsonNode info) {
        dialect = RouterDialect.of(info);
        liveness.described();
    }

    /** Why the router has not answered, for logs and errors: its name does not resolve, or how long it is silent. */
    String silence(long now) {
        return unresolved != null ? "router " + address + " does not resolve (" + unresolved + ")"
                : "router " + address + " has not answered for " + ClientLoop.seconds(liveness.silentNanos(now));
    }

    @Override
    public String toString() {
        return address;
    }
}
