package io.voidrail.dashboard;

import java.io.IOException;
import java.io.OutputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves a {@link Dashboard} from the JDK's {@code com.sun.net.httpserver.HttpServer}, mounted at a context path:
 * {@code server.createContext("/voidrail", new DashboardHttpHandler(dashboard, "/voidrail"))}.
 */
public final class DashboardHttpHandler implements HttpHandler {

    private final Dashboard dashboard;
    private final String mount;

    /** @param mount the context path it is registered under: {@code /voidrail}, or {@code /} */
    public DashboardHttpHandler(Dashboard dashboard, String mount) {
        this.dashboard = dashboard;
        this.mount = mount.endsWith("/") ? mount.substring(0, mount.length() - 1) : mount;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String subPath = path.startsWith(mount) ? path.substring(mount.length()) : path;
            DashboardResponse response = dashboard.respond(exchange.getRequestMethod(), subPath, path);
            response.headers().forEach(exchange.getResponseHeaders()::set);
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            int length = response.body().length;
            // -1: no body (HEAD, redirect); else a fixed length
            exchange.sendResponseHeaders(response.status(), head || length == 0 ? -1 : length);
            if (!head && length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }
}
