package io.voidrail.internal;

import org.jspecify.annotations.Nullable;

/**
 * What a CURVE key may do, from the allow-list that admitted it. The ZAP handler hands it to the router in the
 * connection's {@code User-Id}: the Z85 public key, prefixed {@code dealer:} or {@code client:} for a key admitted
 * for one role only; the router reads it from every frame's metadata.
 */
public enum CurveRole {

    /** Register and serve, and call. */
    ANY(""),
    /** Register and serve; not call. */
    DEALER("dealer:"),
    /** Call; not register. */
    CLIENT("client:");

    private final String prefix;

    CurveRole(String prefix) {
        this.prefix = prefix;
    }

    /** Admitted by this list and that one: both roles. */
    CurveRole and(CurveRole other) {
        return this == other ? this : ANY;
    }

    /** The ZAP User-Id of a key admitted with this role. */
    public String userId(String publicKey) {
        return prefix + publicKey;
    }

    /** The role a User-Id carries; {@code null} for {@code null} (a plaintext connection). */
    public static @Nullable CurveRole of(@Nullable String userId) {
        if (userId == null) {
            return null;
        }
        return userId.startsWith(DEALER.prefix) ? DEALER : userId.startsWith(CLIENT.prefix) ? CLIENT : ANY;
    }

    /** The Z85 public key of a User-Id. */
    public static @Nullable String key(@Nullable String userId) {
        CurveRole role = of(userId);
        return role == null ? null : userId.substring(role.prefix.length());
    }
}
