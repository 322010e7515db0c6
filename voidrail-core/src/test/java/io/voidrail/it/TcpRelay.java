package io.voidrail.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on 127.0.0.1 in front of a router: a network path a test can break. {@link #dropPeerSides()} ends the
 * peers' side of every relayed connection and leaves the router's side open and silent, as a network that lost a
 * peer's packets leaves the router with a half-open connection. Connections made after it are relayed again, and a
 * connection either end closes by itself is closed at the other end too.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Link> links = new ArrayList<>();

    TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "tcp-relay-" + server.getLocalPort());
    }

    String address() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections the relay made to the router so far. */
    synchronized int connections() {
        return links.size();
    }

    synchronized void dropPeerSides() throws IOException {
        for (Link link : links) {
            link.dropped = true;
            link.peer.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket peer = server.accept();
                Link link = new Link(peer, new Socket(InetAddress.getLoopbackAddress(), targetPort));
                synchronized (this) {
                    links.add(link);
                }
                daemon(() -> link.pump(link.peer, link.router), "tcp-relay-up");
                daemon(() -> link.pump(link.router, link.peer), "tcp-relay-down");
            }
            catch (IOException ex) {
                // the relay was closed
            }
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static final class Link {

        final Socket peer;
        final Socket router;
        volatile boolean dropped;

        Link(Socket peer, Socket router) {
            this.peer = peer;
            this.router = router;
        }

        /** Copies one direction until it ends, then closes both ends, unless the peer's side was dropped. */
        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0 && !dropped;) {
                    out.write(buffer, 0, n);
                }
            }
            catch (IOException ex) {
                // one end closed
            }
            if (!dropped) {
                close(peer);
                close(router);
            }
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // already closed
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Link link : links) {
            close(link.peer);
            close(link.router);
        }
    }
}
