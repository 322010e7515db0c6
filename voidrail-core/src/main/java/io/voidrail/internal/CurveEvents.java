package io.voidrail.internal;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.zeromq.ZMQ;
import org.zeromq.ZMonitor;

/**
 * Logs the connections a CURVE router refuses before ZAP sees them (plaintext peers, peers with a wrong router key),
 * from the router socket's monitor events. Runs on the router's I/O thread, which owns the socket's one monitor.
 */
public final class CurveEvents {

    /** The monitor events it needs. */
    public static final int EVENTS = ZMQ.EVENT_ACCEPTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_HANDSHAKE_PROTOCOL
            | ZMQ.HANDSHAKE_FAILED_PROTOCOL | ZMQ.HANDSHAKE_FAILED_AUTH | ZMQ.HANDSHAKE_FAILED_NO_DETAIL;

    private final Logger log;
    private final LogThrottle throttle = new LogThrottle(TimeUnit.MINUTES.toNanos(1));
    /** Accepted TCP connections not yet closed, with the greetings count when they were accepted. */
    private final Map<SelectableChannel, Accepted> open = new HashMap<>();
    /** ZMTP greetings completed so far (JeroMQ's HANDSHAKE_PROTOCOL events, which do not name the connection). */
    private long greetings;

    public CurveEvents(Logger log) {
        this.log = log;
    }

    private record Accepted(String remote, long greetingsBefore) {
    }

    public void onEvent(ZMonitor.Event type, @Nullable Object value, long now) {
        switch (type) {
            case ACCEPTED -> {
                if (value instanceof SocketChannel channel) {
                    open.put(channel, new Accepted(remote(channel), greetings));
                }
            }
            case HANDSHAKE_PROTOCOL -> greetings++;
            case DISCONNECTED -> {
                Accepted accepted = value instanceof SelectableChannel channel ? open.remove(channel) : null;
                // no greeting completed at all since it was accepted: certainly not this one's (no false alarms;
                // with greetings of other peers in between, the case is left unlogged)
                if (accepted != null && accepted.greetingsBefore == greetings) {
                    throttle.warn(log, "plain:" + host(accepted.remote), now, "VoidRail router closed a connection from "
                            + "{} that did not start a CURVE handshake ({})", accepted.remote, "a plaintext peer?");
                }
            }
            case HANDSHAKE_FAILED_PROTOCOL, HANDSHAKE_FAILED_AUTH, HANDSHAKE_FAILED_NO_DETAIL -> throttle.warn(log,
                    "failed:" + value, now, "VoidRail router refused a CURVE handshake: {} ({})", String.valueOf(value),
                    "a peer with a wrong router public key?");
            default -> {
                // other events are not subscribed
            }
        }
    }

    private static String remote(SocketChannel channel) {
        try {
            SocketAddress address = channel.getRemoteAddress();
            return address == null ? "an unknown address" : address.toString().replaceFirst("^[^/]*/", "");
        }
        catch (IOException ex) {
            return "an unknown address";
        }
    }

    private static String host(String remote) {
        int colon = remote.lastIndexOf(':');
        return colon > 0 ? remote.substring(0, colon) : remote;
    }
}
