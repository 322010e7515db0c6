package io.voidrail.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * Where one role's sockets live: its own context, or the JVM's {@link Colocation#context() shared} one for a
 * co-located router and for sockets that reach one. Closing the home closes every socket it made and its own context,
 * never the shared one.
 */
public final class SocketHome implements AutoCloseable {

    private final @Nullable ZContext own;
    /** The sockets this home made on the shared context, oldest first: closing the home closes them in that order. */
    private final Set<ZMQ.Socket> shared = Collections.synchronizedSet(new LinkedHashSet<>());
    /** The co-located router each socket that reaches one connected to. */
    private final Map<ZMQ.Socket, Colocation.Target> colocated = new ConcurrentHashMap<>();
    /** Sockets left unconnected because the router's host name did not resolve: why, as the resolver said. */
    private final Map<ZMQ.Socket, String> unresolved = new ConcurrentHashMap<>();

    private SocketHome(@Nullable ZContext own) {
        this.own = own;
    }

    /** A home with its own context (one I/O thread). */
    public static SocketHome own() {
        return new SocketHome(Sockets.newContext());
    }

    /** A home on the shared context: a router that co-located peers reach over {@code inproc}. */
    public static SocketHome shared() {
        return new SocketHome(null);
    }

    /** Whether this home's own sockets live on the shared context. */
    public boolean isShared() {
        return own == null;
    }

    /** The context new sockets of this home are made on (a ZAP handler must live on the router socket's one). */
    public ZContext context() {
        return own != null ? own : Colocation.context();
    }

    public ZMQ.Socket create(SocketType type) {
        return create(context(), type);
    }

    /**
     * A socket connected to {@code address}: over {@code inproc} on the shared context when a router of this JVM is
     * bound there and {@code colocate} allows it (not with CURVE: in-process traffic has nothing to encrypt, and a
     * key mismatch must fail as it would over TCP), over TCP from this home's context otherwise.
     *
     * <p>A host name that does not resolve leaves the socket unconnected instead of failing ({@link #unresolved}): JeroMQ
     * resolves it once, here (libzmq at every connection attempt), and a name can be missing for a while (a router
     * not started yet, DNS not updated after a move). Its owner connects a new socket, which resolves the name again, when
     * the router has been silent too long, as after any failed connection.
     */
    public ZMQ.Socket connect(SocketType type, String address, boolean colocate, Consumer<ZMQ.Socket> setup) {
        Colocation.Target local = colocate ? Colocation.inprocFor(address) : null;
        ZMQ.Socket socket = create(local != null ? Colocation.context() : context(), type);
        setup.accept(socket);
        try {
            socket.connect(local != null ? local.endpoint() : address);
        }
        catch (ZMQException ex) {
            if (ex.getErrorCode() != ZMQ.Error.EADDRNOTAVAIL.getCode()) {
                destroy(socket);
                throw ex;
            }
            // the resolver's own words; a look-up the JVM remembers failing says only the name
            String why = String.valueOf((ex.getCause() != null ? ex.getCause() : ex).getMessage());
            unresolved.put(socket, why.contains(" ") ? why : "unknown host " + why);
        }
        if (local != null) {
            colocated.put(socket, local);
        }
        return socket;
    }

    /** Why {@code socket}'s router address did not resolve when it was connected; {@code null} when it connected. */
    public @Nullable String unresolved(ZMQ.Socket socket) {
        return unresolved.get(socket);
    }

    /**
     * Whether {@code socket} reached a co-located router that has closed since: nothing sent on it arrives. Its
     * peer holds what it would send until a successor binds the port ({@link #replaceable}) or its own liveness
     * rules give up on the router.
     */
    public boolean orphaned(ZMQ.Socket socket) {
        Colocation.Target target = colocated.get(socket);
        return target != null && !Colocation.current(target);
    }

    /** Whether {@code socket} reached a router of this JVM over {@code inproc}. */
    public boolean isColocated(ZMQ.Socket socket) {
        return colocated.containsKey(socket);
    }

    /** Whether {@code socket}'s co-located router closed and another took its port: connect again, to that one. */
    public boolean replaceable(ZMQ.Socket socket) {
        Colocation.Target target = colocated.get(socket);
        return target != null && Colocation.succeeded(target);
    }

    private ZMQ.Socket create(ZContext context, SocketType type) {
        ZMQ.Socket socket = Sockets.create(context, type);
        if (context != own) {
            shared.add(socket);
        }
        return socket;
    }

    /** Closes a socket at once (linger 0), as when it is replaced by a new connection. */
    public void destroy(ZMQ.Socket socket) {
        shared.remove(socket);
        colocated.remove(socket);
        unresolved.remove(socket);
        socket.setLinger(0);
        socket.close();
    }

    /** Closes every socket of this home (with the linger each one was given), then its own context. */
    @Override
    public void close() {
        List<ZMQ.Socket> sockets;
        synchronized (shared) {
            sockets = List.copyOf(shared);
            shared.clear();
        }
        sockets.forEach(ZMQ.Socket::close);
        colocated.clear();
        unresolved.clear();
        if (own != null) {
            own.close();
        }
    }
}
