package io.voidrail.boot.autoconfigure.internal;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.boot.autoconfigure.VoidRailProperties;

/** {@code voidrail.curve.*} as the core's CURVE settings; a setting that cannot work fails start-up naming it. */
public final class CurveSettings {

    private CurveSettings() {
    }

    /** The in-process router's settings; {@code null} without CURVE. */
    public static @Nullable CurveServerConfig router(VoidRailProperties properties) {
        VoidRailProperties.Curve curve = properties.getCurve();
        if (!curve.isEnabled()) {
            return null;
        }
        try {
            return CurveServerConfig.of(keys(curve))
                .withAllowList(curve.getAllowList())
                .withDealerAllowList(curve.getAllowDealers())
                .withClientAllowList(curve.getAllowClients())
                .withAllowedKeys(curve.getAllowedKeys())
                .withReloadPeriod(curve.getReloadPeriod());
        }
        catch (IllegalArgumentException ex) {
            throw invalid(ex, "Check voidrail.curve.allowed-keys: Z85 public keys of 40 characters.");
        }
    }

    /** The dealers' and the client's settings; {@code null} without CURVE. */
    public static @Nullable CurveClientConfig peer(VoidRailProperties properties) {
        VoidRailProperties.Curve curve = properties.getCurve();
        if (!curve.isEnabled()) {
            return null;
        }
        CurveKeys.Pair keys = keys(curve);
        String serverKey = curve.getServerKey();
        if (serverKey == null && curve.getServerKeyFile() != null) {
            serverKey = load(curve.getServerKeyFile(), "voidrail.curve.server-key-file", CurveKeys::loadPublicKey);
        }
        if (serverKey == null && properties.getRouter().isEnabled()) {
            serverKey = keys.publicKey(); // the in-process router encrypts with this application's pair
        }
        if (serverKey == null) {
            throw new VoidRailSetupException("voidrail.curve.enabled is true, but the router's public key is not set.",
                    "Set voidrail.curve.server-key (Z85) or voidrail.curve.server-key-file (the router's .key file).",
                    null);
        }
        try {
            return new CurveClientConfig(serverKey, keys);
        }
        catch (IllegalArgumentException ex) {
            throw invalid(ex, "Set voidrail.curve.server-key to the router's public key: 40 characters of Z85.");
        }
    }

    private static CurveKeys.Pair keys(VoidRailProperties.Curve curve) {
        if (curve.getSecretKey() != null) {
            try {
                return CurveKeys.Pair.ofSecretKey(curve.getSecretKey());
            }
            catch (IllegalArgumentException ex) {
                throw invalid(ex, "Set voidrail.curve.secret-key to a Z85 secret key, or use voidrail.curve.key-file.");
            }
        }
        if (curve.getKeyFile() != null) {
            return load(curve.getKeyFile(), "voidrail.curve.key-file", CurveKeys::loadPair);
        }
        throw new VoidRailSetupException("voidrail.curve.enabled is true, but this application has no CURVE key pair.",
                "Set voidrail.curve.key-file to a secret certificate (NAME.key_secret, from 'voidrail keys --out DIR "
                        + "--name NAME') or voidrail.curve.secret-key.",
                null);
    }

    private static <T> T load(Path file, String property, Function<Path, T> reader) {
        try {
            return reader.apply(file);
        }
        catch (IllegalArgumentException | UncheckedIOException ex) {
            throw invalid(ex, "Check " + property + ": " + file);
        }
    }

    private static VoidRailSetupException invalid(RuntimeException ex, String action) {
        return new VoidRailSetupException("Invalid VoidRail CURVE setting: " + ex.getMessage(), action, ex);
    }

}
