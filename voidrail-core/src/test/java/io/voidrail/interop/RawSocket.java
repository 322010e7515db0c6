package io.voidrail.interop;

import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A bare JeroMQ socket that plays a recorded Python peer: a DEALER with an explicit identity (a Python dealer or
 * client) or a ROUTER (the Python router). Frames are UTF-8 text, as every frame of the recording is. Used by one
 * thread only.
 */
final class RawSocket implements AutoCloseable {

    /** How long an expected message may take; only reached when the Java side fails to answer. */
    static final Duration ANSWER = Duration.ofSeconds(3);

    /** Awaitility polling briskly (the default first poll after 100 ms would dominate these tests' run time). */
    static ConditionFactory await() {
        return Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(ANSWER);
    }

    private final ZMQ.Socket socket;
    private final String address;

    private RawSocket(ZMQ.Socket socket, String address) {
        this.socket = socket;
        this.address = address;
    }

    static RawSocket dealer(ZContext context, String identity, String routerAddress) {
        ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
        socket.setLinger(0);
        socket.setSendTimeOut(5000);
        socket.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
        // a connecting JeroMQ socket may stall before its handshake (zeromq/jeromq#1022): retry it quickly
        socket.setHandshakeIvl(100);
        socket.setReconnectIVL(10);
        socket.connect(routerAddress);
        return new RawSocket(socket, routerAddress);
    }

    /** A ROUTER on 127.0.0.1 with an ephemeral port. */
    static RawSocket router(ZContext context) {
        return router(context, false);
    }

    /** With {@code handover}, a peer reconnecting with its identity takes over its old connection (as the Java router). */
    static RawSocket router(ZContext context, boolean handover) {
        ZMQ.Socket socket = context.createSocket(SocketType.ROUTER);
        socket.setRouterHandover(handover);
        socket.setLinger(0);
        socket.setSendTimeOut(5000); // a test fails, it never hangs on a peer that went away
        socket.setRouterMandatory(true);
        socket.bind("tcp://127.0.0.1:*");
        return new RawSocket(socket, socket.getLastEndpoint());
    }

    /** Where a ROUTER is bound, or where a DEALER connects. */
    String address() {
        return address;
    }

    void send(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            boolean more = i < frames.size() - 1;
            if (!socket.send(frames.get(i).getBytes(StandardCharsets.UTF_8), more ? ZMQ.SNDMORE : 0)) {
                fail("could not send %s", frames);
            }
        }
    }

    /** Sends without waiting; {@code false} when the peer is gone or not ready (e.g. a dealer that just closed). */
    boolean trySend(List<String> frames) {
        for (int i = 0; i < frames.size(); i++) {
            boolean more = i < frames.size() - 1;
            if (!socket.send(frames.get(i).getBytes(StandardCharsets.UTF_8), ZMQ.DONTWAIT | (more ? ZMQ.SNDMORE : 0))) {
                return false;
            }
        }
        return true;
    }

    /** The next whole message, or {@code null} when none arrives within the timeout. */
    List<String> receive(Duration timeout) {
        socket.setReceiveTimeOut((int) timeout.toMillis());
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<String> frames = new ArrayList<>();
        frames.add(new String(first, StandardCharsets.UTF_8));
        while (socket.hasReceiveMore()) {
            frames.add(new String(socket.recv(0), StandardCharsets.UTF_8));
        }
        return frames;
    }

    /** The next message; fails when none arrives within {@link #ANSWER}. */
    List<String> expect(String what) {
        List<String> frames = receive(ANSWER);
        if (frames == null) {
            fail("no %s within %s", what, ANSWER);
        }
        return frames;
    }

    @Override
    public void close() {
        socket.close();
    }
}
