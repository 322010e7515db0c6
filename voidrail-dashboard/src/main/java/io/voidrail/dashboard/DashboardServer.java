package io.voidrail.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * The dashboard on the JDK's HTTP server, as {@code voidrail router --dashboard-port} runs it: bound to one host
 * (127.0.0.1 unless told otherwise: the page has no login of its own), two threads, stopped by {@link #close()}.
 */
public final class DashboardServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final String path;

    private DashboardServer(HttpServer server, ExecutorService executor, String path) {
        this.server = server;
        this.executor = executor;
        this.path = path;
    }

    /**
     * Binds and serves {@code dashboard} under {@code path} (e.g. {@code /voidrail}); {@code /} redirects there.
     *
     * @param port 0 picks a free one ({@link #port()} tells which)
     */
    public static DashboardServer start(Dashboard dashboard, String host, int port, String path) {
        String mount = path.equals("/") || path.isEmpty() ? "/" : (path.startsWith("/") ? path : "/" + path);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot serve the VoidRail dashboard on " + host + ":" + port + ": "
                    + ex.getMessage(), ex);
        }
        server.createContext(mount, new DashboardHttpHandler(dashboard, mount));
        if (!mount.equals("/")) {
            server.createContext("/", exchange -> {
                try (exchange) {
                    boolean root = exchange.getRequestURI().getPath().equals("/");
                    exchange.getResponseHeaders().set("Location", mount + "/");
                    exchange.sendResponseHeaders(root ? 302 : 404, -1);
                }
            });
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "voidrail-dashboard-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new DashboardServer(server, executor, mount.equals("/") ? "/" : mount + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where to open the page, e.g. {@code http://127.0.0.1:8081/voidrail/}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
