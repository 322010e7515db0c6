package io.voidrail.client;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.Checks;

/**
 * A client's connection to its routers: the I/O thread that owns the sockets, started at first use, started again
 * only after it crashed, never after {@link #close()} (which is final). Thread-safe.
 */
final class ClientConnection {

    private final ClientSettings settings;
    private final String identity;
    private final Object lifecycle = new Object();
    private volatile @Nullable ClientLoop loop;
    private volatile boolean closed;

    ClientConnection(ClientSettings settings) {
        this.settings = settings;
        this.identity = new String(settings.identity(), StandardCharsets.UTF_8);
    }

    /** The running loop, started now if needed; throws once closed. */
    ClientLoop loop() {
        checkOpen();
        ClientLoop current = loop;
        if (current != null && !current.isClosed()) {
            return current;
        }
        synchronized (lifecycle) {
            checkOpen();
            if (loop == null || loop.isClosed()) {
                ClientLoop created = new ClientLoop(settings);
                Thread thread = new Thread(created, "voidrail-client-" + identity.substring(0, 8));
                thread.setDaemon(true);
                thread.start();
                loop = created;
            }
            return Objects.requireNonNull(loop);
        }
    }

    /** The running loop, without starting one; {@code null} when none runs. */
    @Nullable ClientLoop current() {
        ClientLoop current = loop;
        return current != null && !current.isClosed() ? current : null;
    }

    /** The router calls go to: the first of the list until the client fails over to another. */
    String routerAddress() {
        ClientLoop current = current();
        return current != null ? current.activeAddress() : settings.routerAddresses().get(0);
    }

    ConnectionState state() {
        ClientLoop current = loop;
        return current == null ? ConnectionState.IDLE : current.state();
    }

    boolean routerSupportsCancel() {
        ClientLoop current = loop;
        return current != null && current.routerCanCancel();
    }

    void checkOpen() {
        if (closed) { // the message only then: this runs for every call
            Checks.open(true, "client " + identity);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Final and idempotent: the loop fails what is in flight with {@code CANCELLED} and stops. */
    void close() {
        ClientLoop current;
        synchronized (lifecycle) {
            closed = true;
            current = loop;
            loop = null;
        }
        if (current != null) {
            current.requestStop();
        }
    }
}
