package io.voidrail.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A hand-made router on its own thread: answers {@code router_info} (announcing the given capabilities) and, while
 * {@link #answerPings}, {@code router_monitor}; hands every other message to the test. Lets a test play a router
 * that behaves in ways a real one would not (silent, gaps in a stream).
 */
public final class FakeRouter implements AutoCloseable {

    private final ZContext context = new ZContext(1);
    private final ZMQ.Socket socket;
    private final String address;
    private final String capabilities;
    private final BlockingQueue<List<byte[]>> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<List<byte[]>> outgoing = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether pings get an answer: false plays a router that has gone silent. */
    public volatile boolean answerPings = true;
    /** Pings left unanswered since {@link #answerPings} went false: any answer before the first was sent before it. */
    public final AtomicInteger ignoredPings = new AtomicInteger();

    /** @param capabilities a JSON array, e.g. {@code ["cancel", "credits"]} */
    public FakeRouter(String capabilities) {
        this.capabilities = capabilities;
        socket = context.createSocket(SocketType.ROUTER);
        socket.setHandshakeIvl(1000);
        socket.setReceiveTimeOut(10);
        address = "tcp://127.0.0.1:" + socket.bindToRandomPort("tcp://127.0.0.1");
        thread = new Thread(this::run, "fake-router");
        thread.setDaemon(true);
        thread.start();
    }

    public String address() {
        return address;
    }

    private void run() {
        while (running) {
            List<byte[]> send;
            while ((send = outgoing.poll()) != null) {
                for (int i = 0; i < send.size(); i++) {
                    socket.send(send.get(i), i < send.size() - 1 ? ZMQ.SNDMORE : 0);
                }
            }
            byte[] first = socket.recv();
            if (first == null) {
                continue;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv());
            }
            String type = new String(frames.get(1), StandardCharsets.UTF_8);
            if (type.equals("router_info")) {
                sendNow(frames.get(0), "router_info_ack", "{\"type\": \"reply\", \"request_id\": \"x\", \"result\": "
                        + "{\"mode\": \"fifo\", \"capabilities\": " + capabilities + "}}");
            }
            else if (type.equals("router_monitor")) {
                if (answerPings) {
                    sendNow(frames.get(0), "heartbeat_ack", "");
                }
                else {
                    ignoredPings.incrementAndGet();
                }
            }
            else {
                received.add(frames);
            }
        }
        context.close();
    }

    private void sendNow(byte[] identity, String type, String payload) {
        socket.sendMore(identity);
        socket.sendMore(type);
        socket.send(payload);
    }

    /** The next message of the given type from a client (frames after the identity, as text), skipping others. */
    public List<String> receive(String type, long timeoutMs) throws InterruptedException {
        long until = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < until) {
            List<byte[]> frames = received.poll(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (frames != null && new String(frames.get(1), StandardCharsets.UTF_8).equals(type)) {
                lastSender = frames.get(0);
                return frames.subList(1, frames.size()).stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
            }
        }
        return null;
    }

    private volatile byte[] lastSender;

    /** Sends {@code [type, payload]} to the client that sent the last message received. */
    public void reply(String type, String payload) {
        outgoing.add(List.of(lastSender, type.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
