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
 * whose public key is on an allow-list may connect. An allow-list is a directory of public certificates
 * ({@code *.key} files, see {@link CurveKeys}) re-read when it changes, checked every {@code reloadPeriod}; keys
 * given here count as the any-role list. A key of {@code allowList} may register and call; one of
 * {@code dealerAllowList} only register and serve, one of {@code clientAllowList} only call (a key in both counts
 * for both). The router always admits its own public key for any role, so an application that runs a router may
 * give its dealers and clients the router's own pair.
 *
 * <pre>{@code
 * CurveServerConfig curve = CurveServerConfig.of(CurveKeys.loadPair(Path.of("keys/router.key_secret")))
 *         .withAllowList(Path.of("keys/allowed"));
 * }</pre>
 *
 * @param keys             the router's key pair; peers are given its public key
 * @param allowList        a directory of the public certificates of peers admitted for any role, or {@code null}
 * @param allowedKeys      Z85 public keys admitted for any role besides those of the directories
 * @param reloadPeriod     how often the directories are checked for changes
 * @param dealerAllowList  a directory of the public certificates of peers admitted as dealers only, or {@code null}
 * @param clientAllowList  a directory of the public certificates of peers admitted as clients only, or {@code null}
 */
public record CurveServerConfig(CurveKeys.Pair keys, @Nullable Path allowList, Set<String> allowedKeys,
        Duration reloadPeriod, @Nullable Path dealerAllowList, @Nullable Path clientAllowList) {

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

    /** Without role lists: every admitted key may register and call. */
    public CurveServerConfig(CurveKeys.Pair keys, @Nullable Path allowList, Set<String> allowedKeys, Duration reloadPeriod) {
        this(keys, allowList, allowedKeys, reloadPeriod, null, null);
    }

    /** The router's pair, no peer admitted yet. */
    public static CurveServerConfig of(CurveKeys.Pair keys) {
        return new CurveServerConfig(keys, null, Set.of(), DEFAULT_RELOAD_PERIOD);
    }

    /** The directory of the certificates of peers admitted for any role. */
    public CurveServerConfig withAllowList(@Nullable Path directory) {
        return new CurveServerConfig(keys, directory, allowedKeys, reloadPeriod, dealerAllowList, clientAllowList);
    }

    /** The directory of the certificates of peers admitted as dealers only: they cannot call. */
    public CurveServerConfig withDealerAllowList(@Nullable Path directory) {
        return new CurveServerConfig(keys, allowList, allowedKeys, reloadPeriod, directory, clientAllowList);
    }

    /** The directory of the certificates of peers admitted as clients only: they cannot register. */
    public CurveServerConfig withClientAllowList(@Nullable Path directory) {
        return new CurveServerConfig(keys, allowList, allowedKeys, reloadPeriod, dealerAllowList, directory);
    }

    /** Admits these public keys too. */
    public CurveServerConfig withAllowedKeys(Collection<String> publicKeys) {
        Set<String> all = new LinkedHashSet<>(allowedKeys);
        all.addAll(publicKeys);
        return new CurveServerConfig(keys, allowList, all, reloadPeriod, dealerAllowList, clientAllowList);
    }

    public CurveServerConfig withAllowedKeys(String... publicKeys) {
        return withAllowedKeys(List.of(publicKeys));
    }

    public CurveServerConfig withReloadPeriod(Duration period) {
        return new CurveServerConfig(keys, allowList, allowedKeys, period, dealerAllowList, clientAllowList);
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add("publicKey=" + keys.publicKey());
        parts.add("allowList=" + allowList);
        parts.add("allowedKeys=" + allowedKeys.size());
        parts.add("dealerAllowList=" + dealerAllowList);
        parts.add("clientAllowList=" + clientAllowList);
        parts.add("reloadPeriod=" + reloadPeriod);
        return "CurveServerConfig" + parts;
    }
}
