package io.voidrail.router;

import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZEvent;
import org.zeromq.ZMonitor;

import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.CurveEvents;
import io.voidrail.internal.CurveRole;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.SocketHome;
import io.voidrail.internal.Sockets;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;

/**
 * The router's I/O thread: owns the ROUTER socket, turns frames into inputs of the {@link RouterCore} and sends
 * what the core put in its {@link Outbox}. Every method here runs on that one thread, so nothing is locked.
 * Whatever a peer sends, the loop logs and carries on.
 */
final class RouterLoop implements Runnable, PollLoop.Handler<Consumer<RouterLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);
    private static final AtomicInteger MONITORS = new AtomicInteger();

    private final SocketHome home;
    private final ZMQ.Socket socket;
    private final Mailbox<Consumer<RouterLoop>> mailbox;
    private final JsonCodec codec;
    private final Header.Reader headers;
    private final Outbox outbox = new Outbox();
    private final RouterCore core;
    /** Reads the socket, and knows where the last message's connection comes from (address, CURVE key). */
    private final Sockets.Reader reader;
    private ZMQ.@Nullable Socket monitor;
    /** With CURVE: logs the connections refused before ZAP sees them. */
    private final @Nullable CurveEvents curveEvents;

    private volatile boolean stopping;
    /** Completed once no dealer runs a call of this router (see {@link ServiceRouter#close(java.time.Duration)}). */
    private final List<CompletableFuture<Void>> drainWaiters = new ArrayList<>();

    RouterLoop(ServiceRouter.Settings settings, SocketHome home, ZMQ.Socket socket, String address,
            Mailbox<Consumer<RouterLoop>> mailbox) {
        this.home = home;
        this.socket = socket;
        this.reader = new Sockets.Reader(socket);
        this.curveEvents = settings.curve() != null ? new CurveEvents(log) : null;
        this.mailbox = mailbox;
        this.codec = settings.codec();
        this.headers = new Header.Reader(codec);
        this.core = new RouterCore(settings, address, outbox, System.nanoTime(), System::currentTimeMillis);
    }

    void requestStop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            monitor = startMonitor();
            PollLoop.run(List.of(socket), monitor, mailbox, this);
            socket.setLinger(200); // lets router_shutdown and the errors below leave before the socket closes
            long now = System.nanoTime();
            core.shutdown(now);
            flush(now);
            // no more events: on the shared context nothing would read them once this loop ends
            socket.monitor(null, 0);
        }
        catch (RuntimeException ex) {
            if (!stopping) {
                log.error("VoidRail router loop failed", ex);
            }
        }
        finally {
            // stopped (closed meanwhile, or failed): nothing runs here any more, nobody should wait for it
            drainWaiters.forEach(waiter -> waiter.complete(null));
        }
    }

    /**
     * The ROUTER socket's DISCONNECTED events: an early hint that a dealer's process or host went away. An event names
     * the connection, not the identity; the core matches its {@code ip:port} with what each dealer's messages came from.
     */
    private ZMQ.Socket startMonitor() {
        String endpoint = "inproc://voidrail-router-monitor-" + MONITORS.incrementAndGet();
        // the socket has one monitor: the CURVE refusal log reads the same events
        socket.monitor(endpoint, ZMQ.EVENT_DISCONNECTED | (curveEvents != null ? CurveEvents.EVENTS : 0));
        ZMQ.Socket events = home.create(SocketType.PAIR);
        events.setLinger(0);
        // no high-water mark: JeroMQ's I/O thread writes the events with a blocking send, so a full pipe (a flood of
        // connections closing faster than this loop reads) would stall every connection of the router
        events.setRcvHWM(0);
        events.connect(endpoint);
        return events;
    }

    @Override
    public void onCommand(Consumer<RouterLoop> command) {
        command.accept(this);
    }

    /** The core's next timer is the poll timeout: a deadline's error leaves when it is due, not on a tick. */
    @Override
    public long afterPoll(long now) {
        if (stopping) {
            return PollLoop.LEAVE;
        }
        if (now - core.nextTimer() >= 0) {
            core.onTimer(now);
            flush(now);
        }
        completeDrainWaiters(now);
        return core.nextTimer();
    }

    /** Completes {@code drained} once no call runs at a dealer; the loop checks again after every wake-up. */
    void whenDrained(CompletableFuture<Void> drained) {
        drainWaiters.add(drained);
        completeDrainWaiters(System.nanoTime());
    }

    private void completeDrainWaiters(long now) {
        // only while someone waits (at shutdown): a status is more than a wake-up should cost otherwise
        if (!drainWaiters.isEmpty() && core.status(now).requestsInProcess() == 0) {
            drainWaiters.forEach(waiter -> waiter.complete(null));
            drainWaiters.clear();
        }
    }

    void status(CompletableFuture<RouterStatus> result) {
        result.complete(core.status(System.nanoTime()));
    }

    @Override
    public void onSideInput() {
        ZMQ.Socket monitor = this.monitor;
        long now = System.nanoTime();
        ZEvent event;
        while ((event = ZEvent.recv(monitor, ZMQ.DONTWAIT)) != null) {
            Object channel = event.getValue();
            String peer = event.getEvent() == ZMonitor.Event.DISCONNECTED && channel instanceof SelectableChannel closed
                    ? remoteAddress(closed) : null;
            if (peer != null) {
                core.connectionClosed(now, peer);
            }
            if (curveEvents != null) {
                curveEvents.onEvent(event.getEvent(), channel, now);
            }
        }
        flush(now);
    }

    /** {@code ip:port} as JeroMQ writes a connection's Peer-Address; {@code null} when it is not TCP or already gone. */
    private static @Nullable String remoteAddress(@Nullable SelectableChannel channel) {
        if (channel instanceof SocketChannel tcp
                && tcp.socket().getRemoteSocketAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            return remote.getAddress().getHostAddress() + ":" + remote.getPort();
        }
        return null;
    }

    // ---------------------------------------------------------------- receiving

    /** Drains everything waiting before polling again: batching is where the throughput comes from. */
    @Override
    public void onInput() {
        List<byte[]> frames;
        while ((frames = reader.next()) != null) {
            long now = System.nanoTime();
            try {
                handle(frames, now);
            }
            catch (RuntimeException ex) {
                // never let one peer's message stop the router
                log.warn("VoidRail router dropped a message it could not handle ({} frames): {}", frames.size(),
                        Frames.forLog(ex.toString()));
            }
            flush(now);
        }
    }

    private void handle(List<byte[]> frames, long now) {
        if (frames.size() < 2) {
            log.warn("VoidRail router dropped a message with too few frames ({})", frames.size());
            return;
        }
        String sender = Frames.strictUtf8(frames.get(0));
        String token = Frames.strictUtf8(frames.get(1));
        if (sender == null || sender.isEmpty() || token == null) {
            log.warn("VoidRail router dropped a message with a non-UTF-8 identity or type frame");
            return;
        }
        MessageType type = MessageType.fromToken(token);
        // where a dealer's connection comes from, for the monitor's hints; every dealer registers on a new connection
        // and heartbeats at least every second, so reading it on those two is enough
        // (with auth, every message: the connection is what is authenticated)
        String from = core.settings.requireAuth() || type == MessageType.REGISTER || type == MessageType.HEARTBEAT
                ? reader.peerAddress() : null;
        String curve = reader.peerKey(); // the ZAP User-Id: the key, and its role when it has only one
        RouterCore.Peer peer = new RouterCore.Peer(frames.get(0), sender, from, CurveRole.key(curve), CurveRole.of(curve));
        if (type != MessageType.REGISTER) {
            core.heardFrom(peer, now); // a register replaces the dealer's entry, and its in-flight state, anyway
        }
        if (type == null) {
            core.unknownType(peer, token);
            return;
        }
        switch (type) {
            case AUTH -> core.onAuth(peer, json(frames, 3));
            case METHODS, CLUSTERS, QUEUE_STATUS, ROUTER_INFO -> core.onQuery(peer, type, now);
            case ROUTER_MONITOR -> core.onMonitor(peer);
            case CALL_FROM_CLIENT -> {
                if (frames.size() < 3) {
                    log.warn("VoidRail router dropped a call_from_client without a method frame from {}", Frames.forLog(sender));
                    return;
                }
                core.onCall(now, peer, Frames.strictUtf8(frames.get(2)), header(frames, Header.CALL_BODY),
                        frames.subList(2, frames.size()));
            }
            case CANCEL -> core.onCancel(now, peer, json(frames, 2), last(frames));
            case STREAM_CREDIT -> core.onStreamCredit(peer, json(frames, 2), last(frames));
            case REGISTER -> core.onRegister(now, peer, json(frames, 3));
            case HEARTBEAT -> core.onHeartbeat(now, peer);
            case REPLY_FROM_DEALER -> {
                Header reply = header(frames, Header.REPLY_BODY);
                core.onReply(now, peer, frames, reply != null ? reply.fields() : null);
            }
            case OVERLOAD, RESUME -> core.onLoadSignal(now, peer, type);
            case SHUTDOWN -> core.onDealerShutdown(now, peer);
            default -> core.unknownType(peer, token);
        }
    }

    /** The last frame as JSON when the message has at least {@code minFrames}; {@code null} otherwise. */
    private @Nullable JsonNode json(List<byte[]> frames, int minFrames) {
        return frames.size() >= minFrames ? codec.readOrNull(last(frames)) : null;
    }

    /**
     * The last frame of a call or a reply (four frames at least) without the fields the router forwards unread:
     * the arguments or the result are checked for syntax but never built as a tree.
     */
    private @Nullable Header header(List<byte[]> frames, Set<String> body) {
        return frames.size() >= 4 ? headers.read(last(frames), body) : null;
    }

    private static byte[] last(List<byte[]> frames) {
        return frames.get(frames.size() - 1);
    }

    // ---------------------------------------------------------------- sending

    /** Sends what the core asked for; a dispatch the socket refuses goes back to the core, which may add more. */
    private void flush(long now) {
        Outbox.Message message;
        while ((message = outbox.poll()) != null) {
            if (!Sockets.send(socket, message.frames())) {
                if (message.call() != null) {
                    core.undeliverable(now, message.dealer(), message.call());
                }
                else {
                    log.debug("VoidRail router could not deliver {} to {}", message.type().token(),
                            Frames.forLog(message.frames().get(0)));
                }
            }
        }
    }
}
