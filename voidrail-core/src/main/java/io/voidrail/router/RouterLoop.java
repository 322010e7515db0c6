package io.voidrail.router;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.PollLoop;
import io.voidrail.internal.Sockets;
import io.voidrail.protocol.Frames;
import io.voidrail.protocol.MessageType;
import tools.jackson.databind.JsonNode;

/**
 * The router's I/O thread: owns the ROUTER socket, turns frames into inputs of the {@link RouterCore} and sends
 * what the core put in its {@link Outbox}. Every method here runs on that one thread, so nothing is locked.
 * Whatever a peer sends, the loop logs and carries on.
 */
final class RouterLoop implements Runnable, PollLoop.Handler<Consumer<RouterLoop>> {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);
    private static final long TICK_NANOS = 50_000_000L;

    private final ZContext context;
    private final ZMQ.Socket socket;
    private final Mailbox<Consumer<RouterLoop>> mailbox;
    private final JsonCodec codec;
    private final Outbox outbox = new Outbox();
    private final RouterCore core;

    private long nextTickNanos;
    private volatile boolean stopping;

    RouterLoop(ServiceRouter.Settings settings, ZContext context, ZMQ.Socket socket, String address,
            Mailbox<Consumer<RouterLoop>> mailbox) {
        this.context = context;
        this.socket = socket;
        this.mailbox = mailbox;
        this.codec = settings.codec();
        this.core = new RouterCore(settings, address, outbox, System.nanoTime(), System::currentTimeMillis);
    }

    void requestStop() {
        stopping = true;
    }

    @Override
    public void run() {
        try {
            PollLoop.run(context, socket, mailbox, this);
            socket.setLinger(200); // lets router_shutdown and the errors below leave before the socket closes
            core.shutdown();
            flush(System.nanoTime());
        }
        catch (RuntimeException ex) {
            if (!stopping) {
                log.error("VoidRail router loop failed", ex);
            }
        }
    }

    @Override
    public void onCommand(Consumer<RouterLoop> command) {
        command.accept(this);
    }

    @Override
    public long afterPoll(long now) {
        if (stopping) {
            return PollLoop.LEAVE;
        }
        if (now - nextTickNanos >= 0) {
            core.onTimer(now);
            flush(now);
            nextTickNanos = now + TICK_NANOS;
        }
        return nextTickNanos;
    }

    void status(CompletableFuture<RouterStatus> result) {
        result.complete(core.status(System.nanoTime()));
    }

    // ---------------------------------------------------------------- receiving

    /** Drains everything waiting before polling again: batching is where the throughput comes from. */
    @Override
    public void onInput() {
        List<byte[]> frames;
        while ((frames = Sockets.receive(socket)) != null) {
            long now = System.nanoTime();
            try {
                handle(frames, now);
            }
            catch (RuntimeException ex) {
                // never let one peer's message stop the router
                log.warn("VoidRail router dropped a message it could not handle ({} frames): {}", frames.size(),
                        ex.toString());
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
        RouterCore.Peer peer = new RouterCore.Peer(frames.get(0), sender);
        core.heardFrom(peer, now);
        MessageType type = MessageType.fromToken(token);
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
                    log.warn("VoidRail router dropped a call_from_client without a method frame from {}", sender);
                    return;
                }
                core.onCall(now, peer, Frames.strictUtf8(frames.get(2)), json(frames, 4),
                        frames.subList(2, frames.size()));
            }
            case CANCEL -> core.onCancel(peer, json(frames, 2), last(frames));
            case REGISTER -> core.onRegister(now, peer, json(frames, 3));
            case HEARTBEAT -> core.onHeartbeat(now, peer);
            case REPLY_FROM_DEALER -> core.onReply(now, peer, frames, json(frames, 4));
            case OVERLOAD, RESUME -> core.onLoadSignal(now, peer, type);
            case SHUTDOWN -> core.onDealerShutdown(peer);
            default -> core.unknownType(peer, token);
        }
    }

    /** The last frame as JSON when the message has at least {@code minFrames}; {@code null} otherwise. */
    private @Nullable JsonNode json(List<byte[]> frames, int minFrames) {
        return frames.size() >= minFrames ? codec.readOrNull(last(frames)) : null;
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
