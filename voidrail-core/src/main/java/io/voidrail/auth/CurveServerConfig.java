package io.voidrail.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;


/**
 * CURVE on a router (the "Ironhouse" pattern): traffic is encrypted with the router's key pair, and only peers
 * whose public key is on the allow-list may connect. The allow-list is a directory of public certificates
 * ({@code *.key} files, see {@link CurveKeys}) re-read when it changes, checked every {@code reloadPeriod}, plus
 * keys given here. The router always admits its own public key, so an application that runs a router may give
 * its dealers and clients the router's own pair.
 *
 * <pre>{@code
 * CurveServerConfig curve = CurveServerConfig.of(CurveKeys.loadPair(Path.of("keys/router.key_secret")))
 *         .withAllowList(Path.of("keys/allowed"));
 * }</pre>
 *
 * @param keys          the router's key pair; peers are given its public key
 * @param allowList     a directory of the public certificates of admitted peers, or {@code null}
 * @param allowedKeys   Z85 public keys admitted besides those of the directory
 * @param reloadPeriod  how often the directory is checked for changes
 */
public record CurveServerConfig(CurveKeys.Pair keys, @Nullable Path allowList, Set<String> allowedKeys,
        Duration reloadPeriod) {

    public static final Duration DEFAULT_RELOAD_PERIOD = Duration.ofSeconds(5);

    public CurveServerConfig {
        Objects.requireNonNull(keys, "keys");
        for (String key : allowedKeys) {
            CurveKeys.checkKey(key, "allowed public key");
        }
        allowedKeys = Set.copyOf(allowedKeys);
        if (reloadPeriod.isNegative() || reloadPeriod.isZero()) {
            // not Checks.positive: auth stays free of internal, which depends on it
            throw new IllegalArgumentException("reloadPeriod must be positive, was " + reloadPeriod);
        }
    }

    /** The router's pair, no peer admitted yet. */
    public static CurveServerConfig of(CurveKeys.Pair keys) {
        return new CurveServerConfig(keys, null, Set.of(), DEFAULT_RELOAD_PERIOD);
    }

    public CurveServerConfig withAllowList(@Nullable Path directory) {
        return new CurveServerConfig(keys, directory, allowedKeys, reloadPeriod);
    }

    /** Admits these public keys too. */
    public CurveServerConfig withAllowedKeys(Collection<String> publicKeys) {
        Set<String> all = new LinkedHashSet<>(allowedKeys);
        all.addAll(publicKeys);
        return new CurveServerConfig(keys, allowList, all, reloadPeriod);
    }

    public CurveServerConfig withAllowedKeys(String... publicKeys) {
        return withAllowedKeys(List.of(publicKeys));
    }

    public CurveServerConfig withReloadPeriod(Duration period) {
        return new CurveServerConfig(keys, allowList, allowedKeys, period);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("publicKey=" + keys.publicKey());
        parts.add("allowList=" + allowList);
        parts.add("allowedKeys=" + allowedKeys.size());
        parts.add("reloadPeriod=" + reloadPeriod);
        return "CurveServerConfig" + parts;
    }
}
