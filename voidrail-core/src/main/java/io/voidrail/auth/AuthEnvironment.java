package io.voidrail.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The original's environment variables (PROTOCOL.md section 7). Builders read them only when asked: {@code
 * fromEnvironment()} reads the process environment, {@code environment(...)} a given map (tests); by default they
 * read none, so a library user's builder does what its code says. The CLI calls {@code fromEnvironment()}; the
 * Spring module maps the variables through Spring's relaxed binding instead.
 */
public final class AuthEnvironment {

    public static final String REQUIRE_AUTH = "VOIDRAIL_REQUIRE_AUTH";
    public static final String DEALER_API_KEYS = "VOIDRAIL_DEALER_API_KEYS";
    public static final String CLIENT_API_KEYS = "VOIDRAIL_CLIENT_API_KEYS";
    public static final String API_KEY = "VOIDRAIL_API_KEY";

    private final Map<String, String> env;

    public AuthEnvironment(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    private static final AuthEnvironment NONE = new AuthEnvironment(Map.of());

    /** No variables: what builders use unless told otherwise. */
    public static AuthEnvironment none() {
        return NONE;
    }

    public static AuthEnvironment system() {
        return new AuthEnvironment(System.getenv());
    }

    /** {@code VOIDRAIL_REQUIRE_AUTH} in {@code 1|true|yes} (any case). */
    public boolean requireAuth() {
        String value = env.get(REQUIRE_AUTH);
        return value != null && List.of("1", "true", "yes").contains(value.strip().toLowerCase(Locale.ROOT));
    }

    public List<String> dealerKeys() {
        return split(env.get(DEALER_API_KEYS));
    }

    public List<String> clientKeys() {
        return split(env.get(CLIENT_API_KEYS));
    }

    /** The key a dealer or client sends when none is configured. */
    public @Nullable String apiKey() {
        String value = env.get(API_KEY);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> split(@Nullable String value) {
        List<String> keys = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    keys.add(part.strip());
                }
            }
        }
        return keys;
    }
}
