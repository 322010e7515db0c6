package io.voidrail.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.internal.protocol.Frames;

/**
 * CURVE admission for one router: answers the ZAP requests (ZeroMQ RFC 27) of the router's context from the
 * {@link CurveAllowList}. Its own thread and socket, on the router's context. (The connections refused before ZAP
 * sees them are logged by {@link CurveEvents} on the router's thread, which owns the socket's monitor.)
 *
 * <p>JeroMQ lets every CURVE key in while no handler is bound to {@code inproc://zeromq.zap.01}, so the handler
 * starts before the router socket binds and closes after the router socket is closed; if its thread ever died,
 * its socket would stay bound and unanswered, failing handshakes closed rather than open.
 */
public final class ZapHandler implements AutoCloseable {

    public static final String ENDPOINT = "inproc://zeromq.zap.01";
    /** The ZAP domain of VoidRail routers. */
    public static final String DOMAIN = "voidrail";

    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ZContext context;
    private final ZMQ.Socket zap;
    private final CurveAllowList allowList;
    private final Logger log;
    private final Mailbox<Runnable> wakeUp = new Mailbox<>();
    private final LogThrottle throttle = new LogThrottle(LOG_INTERVAL_NANOS);
    private final Thread thread;
    private volatile boolean stopping;

    private ZapHandler(ZContext context, ZMQ.Socket router, CurveServerConfig config, Logger log) {
        this.context = context;
        this.log = log;
        this.allowList = new CurveAllowList(config, log, System.nanoTime());
        this.zap = Sockets.create(context, SocketType.REP);
        this.zap.setLinger(0);
        this.zap.bind(ENDPOINT);
        this.thread = new Thread(this::run, "voidrail-router-zap");
        this.thread.setDaemon(true);
    }

    /**
     * Binds the ZAP endpoint of the router socket's context and starts answering; call before the router socket
     * binds. The sockets made here move to the handler's thread, which alone uses them from then on.
     */
    public static ZapHandler start(ZContext context, ZMQ.Socket router, CurveServerConfig config, Logger log) {
        ZapHandler handler = new ZapHandler(context, router, config, log);
        handler.thread.start();
        return handler;
    }

    /** Stops answering; call after the router socket is closed. */
    @Override
    public void close() {
        stopping = true;
        wakeUp.post(() -> { });
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        wakeUp.close();
    }

    private void run() {
        try {
            PollLoop.run(zap, wakeUp, new PollLoop.Handler<Runnable>() {
                @Override
                public void onInput() {
                    answerAll();
                }

                @Override
                public void onCommand(Runnable command) {
                    command.run();
                }

                @Override
                public long afterPoll(long now) {
                    if (stopping) {
                        return PollLoop.LEAVE;
                    }
                    allowList.refreshIfDue(now);
                    return allowList.nextCheckNanos();
                }
            });
            context.destroySocket(zap);
        }
        catch (RuntimeException ex) {
            if (!stopping) {
                // the ZAP socket stays bound and silent: handshakes time out, nobody is let in unchecked
                log.error("VoidRail router's CURVE authentication stopped; no new connection will be admitted", ex);
            }
        }
    }

    // ---------------------------------------------------------------- ZAP

    private void answerAll() {
        List<byte[]> request;
        while ((request = Sockets.receive(zap)) != null) {
            List<byte[]> reply;
            try {
                reply = answer(request, System.nanoTime());
            }
            catch (RuntimeException ex) {
                log.warn("VoidRail router could not check a CURVE handshake: {}", Frames.forLog(ex.toString()));
                reply = reply(request.size() > 1 ? request.get(1) : Frames.EMPTY, "500", "Internal error", "");
            }
            Sockets.send(zap, reply);
        }
    }

    /**
     * The ZAP answer: 200 when the key is on an allow-list, with its role and key as User-Id ({@link CurveRole#userId}),
     * else 400.
     */
    private List<byte[]> answer(List<byte[]> request, long now) {
        // version, request id, domain, address, routing id, mechanism, credentials...
        if (request.size() < 6 || !"1.0".equals(text(request.get(0)))) {
            return reply(request.size() > 1 ? request.get(1) : Frames.EMPTY, "500", "Malformed ZAP request", "");
        }
        byte[] requestId = request.get(1);
        String address = Frames.forLog(request.get(3));
        if (!"CURVE".equals(text(request.get(5))) || request.size() < 7 || request.get(6).length != ZMQ.Curve.KEY_SIZE) {
            warn("mechanism:" + address, "VoidRail router refused a connection from {}: mechanism {} instead of CURVE",
                    address, Frames.forLog(request.get(5)), now);
            return reply(requestId, "400", "CURVE required", "");
        }
        String publicKey = ZMQ.Curve.z85Encode(request.get(6));
        CurveRole role = allowList.roleOf(publicKey);
        if (role != null) {
            log.debug("VoidRail router admitted CURVE key {} ({}) from {}", CurveKeys.fingerprint(publicKey), role, address);
            return reply(requestId, "200", "OK", role.userId(publicKey));
        }
        // public keys are not secret: the whole key tells the operator what to add to the allow-list
        warn("key:" + publicKey, "VoidRail router refused a CURVE connection from {}: public key {} is not on the "
                + "allow-list", address, publicKey + " (" + CurveKeys.fingerprint(publicKey) + ")", now);
        return reply(requestId, "400", "Public key not allowed", "");
    }

    private static List<byte[]> reply(byte[] requestId, String status, String text, String userId) {
        return List.of(Frames.utf8("1.0"), requestId, Frames.utf8(status), Frames.utf8(text), Frames.utf8(userId), Frames.EMPTY);
    }

    /** A refusal line, at most one a minute per subject. */
    private void warn(String subject, String format, String first, String second, long now) {
        throttle.warn(log, subject, now, format, first, second);
    }

    private static @Nullable String text(byte[] frame) {
        return Frames.strictUtf8(frame);
    }
}
