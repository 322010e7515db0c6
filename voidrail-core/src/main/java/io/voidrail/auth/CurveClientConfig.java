package io.voidrail.auth;

import java.util.Objects;

/**
 * CURVE on a dealer or client: the router's public key, which authenticates the router and encrypts the traffic,
 * and this peer's own key pair, whose public key must be on the router's allow-list.
 *
 * <pre>{@code
 * CurveClientConfig curve = new CurveClientConfig(CurveKeys.loadPublicKey(Path.of("keys/router.key")),
 *         CurveKeys.loadPair(Path.of("keys/worker.key_secret")));
 * }</pre>
 *
 * @param serverPublicKey the router's public key (Z85)
 * @param keys            this peer's key pair
 */
public record CurveClientConfig(String serverPublicKey, CurveKeys.Pair keys) {

    public CurveClientConfig {
        CurveKeys.checkKey(serverPublicKey, "router public key");
        Objects.requireNonNull(keys, "keys");
    }
}
