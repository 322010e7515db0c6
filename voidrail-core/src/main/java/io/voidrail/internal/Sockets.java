package io.voidrail.internal;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import zmq.io.Metadata;

/** Multipart send and receive on the owning I/O thread. */
public final class Sockets {

    /**
     * Handshake allowance of connecting sockets. JeroMQ 0.6.0 sometimes never starts the ZMTP handshake of a
     * freshly connected TCP socket (a race in its I/O poller; zeromq/jeromq#1022 reports 1 to 6 % of connects,
     * rarer here: none in 490 CURVE connects, one in a CI run); the connection then sits idle, swallowing what is
     * sent, until the handshake timer (30 s by default) tears it down and reconnects. A short timer makes such a
     * connection retry at once; queued messages are kept. It times the greeting only, so it suits CURVE too.
     */
    public static final int HANDSHAKE_IVL_MS = 1000;

    /**
     * Greeting allowance of the router's CURVE socket. In JeroMQ 0.6.0 the handshake timer covers only the ZMTP
     * greeting: it is cancelled once the greeting is read, before the CURVE commands and their ZAP request, so a
     * slow CURVE handshake (jnacl is pure Java: tens of milliseconds warm, over a second on a cold or loaded JVM) is
     * never cut. The router's I/O thread does that work for every peer, and a timer that fires while it is busy
     * would drop a greeting already waiting in the buffer; the accepting side never stalls (zeromq/jeromq#1022 is in
     * the connect path), so it waits longer. Dealers and clients keep {@link #HANDSHAKE_IVL_MS}, CURVE or not.
     */
    public static final int CURVE_SERVER_HANDSHAKE_IVL_MS = 10_000;

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

    /**
     * Makes a router socket a CURVE server. A {@link ZapHandler} must already run on the socket's context: without
     * one, JeroMQ lets every CURVE key in.
     */
    public static void curveServer(ZMQ.Socket socket, CurveServerConfig curve) {
        socket.setZapDomain(ZapHandler.DOMAIN);
        socket.setHandshakeIvl(CURVE_SERVER_HANDSHAKE_IVL_MS);
        socket.setCurveServer(true);
        socket.setCurvePublicKey(CurveKeys.decode(curve.keys().publicKey()));
        socket.setCurveSecretKey(CurveKeys.decode(curve.keys().secretKey()));
    }

    /** Makes a dealer or client socket a CURVE client of the router; plaintext when {@code curve} is null. */
    public static void curveClient(ZMQ.Socket socket, @Nullable CurveClientConfig curve) {
        if (curve != null) {
            socket.setCurveServerKey(CurveKeys.decode(curve.serverPublicKey()));
            socket.setCurvePublicKey(CurveKeys.decode(curve.keys().publicKey()));
            socket.setCurveSecretKey(CurveKeys.decode(curve.keys().secretKey()));
        }
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
     * Receives whole messages like {@link Sockets#receive(ZMQ.Socket)} and tells which CURVE key sent the last one.
     *
     * <p>JeroMQ attaches the metadata of the connection a frame came through to every frame it reads from the
     * wire ({@code zmq.Msg#getMetadata()}): {@code Peer-Address}, {@code Socket-Type}, {@code Identity}, and the
     * {@code User-Id} that the ZAP handler returned when it admitted the connection, which {@link ZapHandler}
     * sets to the peer's CURVE public key and its role. A ROUTER's first frame (the routing identity) is made by the
     * socket and has no metadata; the frames after it have.
     */
    public static final class Reader {

        private final ZMQ.Socket socket;
        private @Nullable Metadata metadata;

        public Reader(ZMQ.Socket socket) {
            this.socket = socket;
        }

        /** The next whole message, or {@code null} when none is waiting. */
        public @Nullable List<byte[]> next() {
            zmq.Msg msg = socket.recvMsg(ZMQ.DONTWAIT);
            if (msg == null) {
                return null;
            }
            // a ROUTER makes the identity frame itself, without metadata: the frames after it carry the connection's
            metadata = msg.getMetadata();
            List<byte[]> frames = new ArrayList<>(4);
            frames.add(msg.data());
            while (msg.hasMore()) {
                msg = socket.recvMsg(0);
                if (metadata == null) {
                    metadata = msg.getMetadata();
                }
                frames.add(msg.data());
            }
            return frames;
        }

        /**
         * The ZAP {@code User-Id} of the connection that sent the last message: the Z85 CURVE public key the ZAP
         * handler admitted, with its role ({@link CurveRole}); {@code null} on a plaintext socket.
         */
        public @Nullable String peerKey() {
            return property(Metadata.USER_ID);
        }

        /** The remote {@code ip:port} of the connection that sent the last message (TCP), if known. */
        public @Nullable String peerAddress() {
            return property(Metadata.PEER_ADDRESS);
        }

        private @Nullable String property(String name) {
            String value = metadata == null ? null : metadata.get(name);
            return value == null || value.isEmpty() ? null : value;
        }
    }

    /** A new context with one I/O thread, JeroMQ's mailboxes worked around in it ({@link JeroMqSignals}). */
    public static ZContext newContext() {
        return JeroMqSignals.newContext(1);
    }

    /** A new socket of {@code context}, JeroMQ's mailbox worked around in it ({@link JeroMqSignals}). */
    public static ZMQ.Socket create(ZContext context, SocketType type) {
        return JeroMqSignals.patch(context, context.createSocket(type));
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
