package io.voidrail.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Routers of this JVM that co-located dealers and clients reach over {@code inproc://} instead of TCP: no I/O
 * thread, no kernel, no encoding between them. {@code inproc} works only between sockets of one context, so such
 * routers and their co-located peers make those sockets on one context shared by the JVM, which is never closed
 * (each role closes its own sockets; JeroMQ's threads are daemons).
 *
 * <p>A router registers the TCP endpoint it bound; a peer given that endpoint (or {@code localhost} / a loopback
 * address with the same port, when the router bound a loopback or wildcard address) connects to the router's
 * {@code inproc} name instead. Remote peers still use TCP. {@code inproc} connections do not reconnect: peers check
 * {@link #current} and open a new connection once their router closed (to its successor on the port, or over TCP).
 */
public final class Colocation {

    private static final Pattern TCP = Pattern.compile("tcp://\\[?([^\\]]+?)\\]?:(\\d+)");
    /** Bound TCP port -> the router bound there. */
    private static final Map<Integer, Router> ROUTERS = new ConcurrentHashMap<>();
    private static final AtomicLong GENERATIONS = new AtomicLong();

    /** A router of this JVM: the host it bound, and which of the routers bound to that port over time it is. */
    private record Router(String host, long generation) {
    }

    /** Where a co-located peer connected: the router's {@code inproc} name, and which router answered it. */
    public record Target(String endpoint, int port, long generation) {
    }

    private Colocation() {
    }

    private static final class Shared {
        static final ZContext CONTEXT = Sockets.newContext();
    }

    /** The context of co-located routers and the sockets that reach them. */
    public static ZContext context() {
        return Shared.CONTEXT;
    }

    /**
     * Makes the router socket bound to {@code boundEndpoint} (a TCP endpoint as JeroMQ reports it) reachable by this
     * JVM's peers: binds it to an {@code inproc} name of its own (one per router: a closed router's name is released
     * by JeroMQ's reaper later) and registers it.
     */
    public static void register(ZMQ.Socket socket, String boundEndpoint) {
        Matcher tcp = TCP.matcher(boundEndpoint);
        if (tcp.matches()) {
            int port = Integer.parseInt(tcp.group(2));
            long generation = GENERATIONS.incrementAndGet();
            socket.bind(name(port, generation));
            ROUTERS.put(port, new Router(tcp.group(1), generation));
        }
    }

    public static void unregister(String boundEndpoint) {
        Matcher tcp = TCP.matcher(boundEndpoint);
        if (tcp.matches()) {
            ROUTERS.computeIfPresent(Integer.parseInt(tcp.group(2)),
                    (port, router) -> router.host().equals(tcp.group(1)) ? null : router);
        }
    }

    /** Where to connect instead of {@code address}, or {@code null} when no router of this JVM is there. */
    public static @Nullable Target inprocFor(String address) {
        Matcher tcp = TCP.matcher(address.strip());
        if (!tcp.matches()) {
            return null;
        }
        int port = Integer.parseInt(tcp.group(2));
        Router router = ROUTERS.get(port);
        if (router == null) {
            return null;
        }
        String host = tcp.group(1).toLowerCase(Locale.ROOT);
        boolean same = host.equals(router.host()) || (isLoopbackOrAny(router.host()) && isLoopback(host));
        return same ? new Target(name(port, router.generation()), port, router.generation()) : null;
    }

    /**
     * Whether the router a peer connected to is still the one bound there. {@code inproc} does not reconnect: once
     * the router closed, its peers must open a new connection (to its successor on the same port, or over TCP).
     */
    public static boolean current(Target target) {
        Router router = ROUTERS.get(target.port());
        return router != null && router.generation() == target.generation();
    }

    /** Whether another router of this JVM took the port since {@code target}'s closed. */
    public static boolean succeeded(Target target) {
        Router router = ROUTERS.get(target.port());
        return router != null && router.generation() > target.generation();
    }

    /**
     * Waits until the TCP port of a closed router is free again: JeroMQ closes a socket's listener on its I/O thread
     * after {@code close()} returns, and on the shared context nothing waits for that, as closing a context does.
     * A router restarted on the same port right after must be able to bind it.
     */
    public static void awaitReleased(String boundEndpoint, Duration atMost) {
        Matcher tcp = TCP.matcher(boundEndpoint);
        if (!tcp.matches()) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(tcp.group(1), Integer.parseInt(tcp.group(2)));
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as JeroMQ binds: TIME_WAIT connections do not count
                probe.bind(address);
                return;
            }
            catch (IOException stillBound) {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static String name(int port, long generation) {
        return "inproc://voidrail-router-" + port + "-" + generation;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static boolean isLoopbackOrAny(String host) {
        return isLoopback(host) || host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
    }
}
