package io.voidrail.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** A bare DEALER socket speaking hand-made frames, as a Python peer or a misbehaving one would. */
public final class RawPeer implements AutoCloseable {

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket;

    public RawPeer(String address, byte[] identity) {
        socket = context.createSocket(SocketType.DEALER);
        socket.setIdentity(identity);
        socket.setLinger(0);
        socket.setHandshakeIvl(1000);
        socket.connect(address);
    }

    public RawPeer(String address, String identity) {
        this(address, identity.getBytes(StandardCharsets.UTF_8));
    }

    public void send(String... frames) {
        byte[][] bytes = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
        }
        sendBytes(bytes);
    }

    public void sendBytes(byte[]... frames) {
        for (int i = 0; i < frames.length; i++) {
            socket.send(frames[i], i < frames.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The next message as text frames, or {@code null} if none arrives within the timeout. */
    public List<String> receive(int timeoutMs) {
        socket.setReceiveTimeOut(timeoutMs);
        byte[] first = socket.recv();
        if (first == null) {
            return null;
        }
        List<String> frames = new ArrayList<>();
        frames.add(new String(first, StandardCharsets.UTF_8));
        while (socket.hasReceiveMore()) {
            frames.add(new String(socket.recv(), StandardCharsets.UTF_8));
        }
        return frames;
    }

    /** The next message whose first frame is {@code token}, skipping others (heartbeat acks and the like). */
    public List<String> receive(String token, int timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            List<String> frames = receive((int) Math.max(1, end - System.currentTimeMillis()));
            if (frames != null && frames.get(0).equals(token)) {
                return frames;
            }
        }
        return null;
    }

    @Override
    public void close() {
        context.close();
    }
}
