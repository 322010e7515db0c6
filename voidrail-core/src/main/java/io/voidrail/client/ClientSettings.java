package io.voidrail.client;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.codec.JsonCodec;

/**
 * A client's connection settings, fixed at build time (see {@link ClientDealer.Builder} for meanings).
 *
 * @param authPayload the {@code auth} message when the client has a key: sent first on every connection, and again
 *                    whenever a router has forgotten this client (a restarted router answers "Not authenticated")
 */
record ClientSettings(List<String> routerAddresses, byte[] identity, JsonCodec codec, byte @Nullable [] authPayload,
        Duration timeout, Duration connectTimeout, Duration heartbeatInterval, int streamWindow,
        @Nullable CurveClientConfig curve) {
}
