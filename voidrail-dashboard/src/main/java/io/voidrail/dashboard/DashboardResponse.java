package io.voidrail.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What to answer one HTTP request of the dashboard, whatever the server (JDK, servlet, reactive): adapters copy the
 * status, the headers and the body.
 */
public record DashboardResponse(int status, @Nullable String contentType, byte[] body, Map<String, String> headers) {

    /**
     * Headers on every answer: the page loads only its own files (no CDN, no inline script), and says so to the
     * browser; it is never framed.
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none';"
                    + " frame-ancestors 'none'");

    static DashboardResponse ok(String contentType, byte[] body, String cacheControl) {
        return new DashboardResponse(200, contentType, body, withSecurity("Cache-Control", cacheControl));
    }

    static DashboardResponse notFound() {
        return new DashboardResponse(404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8),
                withSecurity("Cache-Control", "no-store"));
    }

    static DashboardResponse methodNotAllowed() {
        return new DashboardResponse(405, "text/plain; charset=utf-8",
                "The dashboard is read-only: GET only".getBytes(StandardCharsets.UTF_8),
                Map.of("Allow", "GET, HEAD", "Cache-Control", "no-store"));
    }

    /** A relative redirect, so that it holds behind a context path or a proxy prefix. */
    static DashboardResponse redirect(String location) {
        return new DashboardResponse(302, null, new byte[0], withSecurity("Location", location));
    }

    private static Map<String, String> withSecurity(String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put(name, value);
        return Collections.unmodifiableMap(headers);
    }
}
