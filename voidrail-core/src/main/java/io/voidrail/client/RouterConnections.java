package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.NOT_AUTHENTICATED;
import static io.voidrail.internal.protocol.Protocol.connectionIdentity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;

import io.voidrail.VoidRailException;
import io.voidrail.internal.LogThrottle;
import io.voidrail.internal.SocketHome;
import io.voidrail.internal.Sockets;
import io.voidrail.internal.protocol.Frames;
import io.voidrail.internal.protocol.MessageType;
import tools.jackson.databind.JsonNode;

/**
 * The client's connections to its routers, apart from the calls they carry: the sockets and what the client says
 * first on each ({@code auth}, {@code router_info}), which router calls go to, liveness pings, the failover from a
 * silent router to the next ready one (in the order of the list), and what the routers' refusals mean. Times are
 * {@code System.nanoTime()} values passed in; used by the client's I/O thread only (except the volatile state).
 */
final class RouterConnections {

    private static final Logger log = LoggerFactory.getLogger(ClientDealer.class);

    /** Fails what was sent on a connection given up, with the text for each call. */
    interface GiveUp {
        void failSent(RouterLink link, Function<Pending, String> text);
    }

    private final ClientSettings settings;
    private final List<RouterLink> links = new ArrayList<>();
    /** A router address that does not resolve is tried again at every reconnect: one warning a minute. */
    private final LogThrottle unresolvedLog = new LogThrottle(TimeUnit.MINUTES.toNanos(1));
    private int active;
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile String activeAddress;

    RouterConnections(ClientSettings settings) {
        this.settings = settings;
        long heartbeat = settings.heartbeatInterval().toNanos();
        long connect = settings.connectTimeout().toNanos();
        for (String address : settings.routerAddresses()) {
            links.add(new RouterLink(address, links.size(), new RouterLiveness(heartbeat, connect)));
        }
        this.activeAddress = links.get(0).address;
    }

    List<RouterLink> links() {
        return links;
    }

    /** The router calls go to (or will go to once it answers). */
    RouterLink active() {
        return links.get(active);
    }

    String activeAddress() {
        return activeAddress;
    }

    ConnectionState state() {
        return state;
    }

    /** A fresh socket to the link's router (the caller introduces the client on it). */
    void open(SocketHome home, RouterLink link, long now) {
        // a new identity to a router whose end of the last connection may still hold it (PROTOCOL.md section 10)
        byte[] identity = connectionIdentity(new String(settings.identity(), StandardCharsets.UTF_8), ++link.connections,
                link.dialect.noHandover()).getBytes(StandardCharsets.UTF_8);
        // a router of this JVM is reached over inproc (not with CURVE: that is for the network)
        link.socket = home.connect(SocketType.DEALER, link.address, settings.curve() == null, socket -> {
            socket.setIdentity(identity);
            Sockets.tune(socket, 100_000);
            Sockets.curveClient(socket, settings.curve());
        });
        link.reopen = false;
        link.unresolved = home.unresolved(link.socket);
        if (link.unresolved != null) {
            unresolvedLog.warn(log, link.address, now, "VoidRail router address {} does not resolve ({}); the client tries"
                    + " again every {}", link.address, link.unresolved, ClientLoop.seconds(settings.connectTimeout().toNanos()));
        }
        link.controls.clear();
        link.liveness.opened(now);
    }

    /**
     * What the client says first on a fresh connection: {@code auth} when it has a key, then {@code router_info}, whose
     * answer tells what the router understands ({@link RouterLink#describe}). Asked by the client itself: no deadline.
     */
    List<Pending.Control> introductions() {
        return settings.authPayload() == null ? List.of(routerInfo()) : List.of(authentication(), routerInfo());
    }

    private static Pending.Control routerInfo() {
        return new Pending.Control(MessageType.ROUTER_INFO, MessageType.ROUTER_INFO_ACK, null, true);
    }

    Pending.Control authentication() {
        return new Pending.Control(MessageType.AUTH, MessageType.AUTH_ACK, settings.authPayload(), true);
    }

    /** A question of the client's own was answered: what the router understands, or that it accepted the key. */
    void answered(RouterLink link, Pending.Control control, JsonNode result) {
        if (control.internal && control.answer == MessageType.ROUTER_INFO_ACK) {
            link.describe(result);
        }
        if (control.answer == MessageType.AUTH_ACK) {
            link.authFailure = null;
        }
    }

    /**
     * An error answered {@code target}. Returns whether the client should authenticate again and send it once more:
     * a restarted router forgot this client and refused the request unseen ({@code Not authenticated}).
     */
    boolean refused(RouterLink link, Pending target, String text, VoidRailException error) {
        boolean auth = target instanceof Pending.Control control && control.request == MessageType.AUTH;
        if (auth) {
            link.authFailure = error;
            log.error("VoidRail router at {} refused this client's API key", link.address);
        }
        if (NOT_AUTHENTICATED.equals(text) && settings.authPayload() != null && link.authFailure == null
                && !target.resent && !auth) {
            log.info("VoidRail router at {} asks this client to authenticate again", link.address);
            target.resent = true;
            return true;
        }
        if (target instanceof Pending.Control control && control.internal && control.request == MessageType.ROUTER_INFO) {
            link.describe(null); // it would not say: assume nothing beyond the Python protocol
        }
        return false;
    }

    /** Whether an authentication is already on its way on that connection. */
    boolean authenticating(RouterLink link) {
        ArrayDeque<Pending.Control> queue = link.controls.get(MessageType.AUTH_ACK);
        return queue != null && !queue.isEmpty();
    }

    boolean reopenRequested() {
        for (RouterLink link : links) {
            if (link.reopen) {
                return true;
            }
        }
        return false;
    }

    /**
     * Pings routers that have been quiet, notices those that fell silent (what was sent to the active one is given
     * up), marks connections to replace, and fails over.
     */
    void tick(long now, GiveUp giveUp) {
        for (RouterLink link : links) {
            if (link.liveness.pingDue(now)) {
                Sockets.send(link.socket, MessageType.ROUTER_MONITOR.token().getBytes(StandardCharsets.US_ASCII),
                        Frames.EMPTY);
                link.liveness.pinged(now);
            }
            if (link.liveness.becameUnavailable(now)) {
                log.warn("VoidRail {}", link.silence(now));
                if (link.index == active) {
                    giveUp.failSent(link, pending -> "VoidRail router " + link.address + " stopped answering (silent for "
                            + ClientLoop.seconds(link.liveness.silentNanos(now)) + ") while " + pending.what
                            + " was in flight; it may or may not have run");
                }
            }
            if (link.liveness.reopenDue(now)) {
                link.reopen = true; // a new socket also resolves the router's host name again
            }
        }
        chooseActive(now, giveUp);
        updateState(now);
    }

    /** Fails over from a silent router to the next ready one, in the order of the list. */
    private void chooseActive(long now, GiveUp giveUp) {
        RouterLink current = links.get(active);
        if (links.size() == 1 || !current.liveness.overdue(now)) {
            return;
        }
        for (int i = 1; i < links.size(); i++) {
            RouterLink candidate = links.get((active + i) % links.size());
            if (candidate.ready(now)) {
                log.warn("VoidRail router {} silent for {}: the client switches to {}", current.address,
                        ClientLoop.seconds(current.liveness.silentNanos(now)), candidate.address);
                giveUp.failSent(current, pending -> "VoidRail router " + current.address + " stopped answering (silent for "
                        + ClientLoop.seconds(current.liveness.silentNanos(now)) + ") while " + pending.what
                        + " was in flight; it may or may not have run (the client now uses " + candidate.address + ")");
                current.reopen = true; // nothing queued for the silent router may reach it if it comes back
                active = candidate.index;
                activeAddress = candidate.address;
                return;
            }
        }
    }

    void updateState(long now) {
        state = links.get(active).ready(now) ? ConnectionState.READY
                : allUnavailable() ? ConnectionState.UNAVAILABLE : ConnectionState.CONNECTING;
    }

    boolean allUnavailable() {
        for (RouterLink link : links) {
            if (!link.liveness.isUnavailable()) {
                return false;
            }
        }
        return true;
    }

    /** Why nothing can be sent: {@code router tcp://... has not answered for 5 s, router ...}. */
    String silence(long now) {
        return links.stream().map(link -> link.silence(now)).collect(Collectors.joining(", "));
    }
}
