package io.voidrail.internal;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/** Multipart send and receive on the owning I/O thread. */
public final class Sockets {

    /**
     * Handshake allowance of connecting sockets. JeroMQ 0.6.0 sometimes never starts the ZMTP handshake of a
     * freshly connected TCP socket (a race in its I/O poller, zeromq/jeromq#1022: about 1 to 6 % of connects);
     * the connection then sits idle, swallowing what is sent, until the handshake timer (30 s by default) tears
     * it down and reconnects. A short timer makes such a connection retry at once; queued messages are kept.
     */
    public static final int HANDSHAKE_IVL_MS = 1000;

    private Sockets() {
    }

    /** Settings every VoidRail socket shares: no linger on close, quick reconnects, bounded handshakes. */
    public static ZMQ.Socket tune(ZMQ.Socket socket, int highWaterMark) {
        socket.setLinger(0);
        socket.setHandshakeIvl(HANDSHAKE_IVL_MS);
        socket.setReconnectIVL(100);
        socket.setReconnectIVLMax(2000);
        socket.setSndHWM(highWaterMark);
        socket.setRcvHWM(highWaterMark);
        return socket;
    }

    /** Receives one whole multipart message without blocking; {@code null} when none is waiting. */
    public static @Nullable List<byte[]> receive(ZMQ.Socket socket) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(4);
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    /**
     * Sends frames as one message; returns {@code false} when the peer is unknown or gone (a ROUTER with
     * ROUTER_MANDATORY) or the pipe is full, never blocking the loop.
     */
    public static boolean send(ZMQ.Socket socket, List<byte[]> frames) {
        int last = frames.size() - 1;
        for (int i = 0; i <= last; i++) {
            boolean sent;
            try {
                sent = socket.send(frames.get(i), i < last ? ZMQ.SNDMORE | ZMQ.DONTWAIT : ZMQ.DONTWAIT);
            }
            catch (org.zeromq.ZMQException ex) {
                // EHOSTUNREACH from ROUTER_MANDATORY: the peer is not connected
                return false;
            }
            if (!sent) {
                return false;
            }
        }
        return true;
    }

    public static boolean send(ZMQ.Socket socket, byte[]... frames) {
        return send(socket, List.of(frames));
    }
}
