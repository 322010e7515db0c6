package io.voidrail.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import picocli.CommandLine.Option;

/** CURVE options: the router's ({@link Router}) and those of dealers and clients ({@link Peer}). Keys come from {@code voidrail keys}. */
final class CurveOptions {

    private CurveOptions() {
    }

    /** {@code --curve-keys} and the allow-lists of {@code voidrail router}. */
    static final class Router {

        @Option(names = "--curve-keys", paramLabel = "FILE",
                description = "Encrypt with CURVE using this secret certificate (NAME.key_secret from 'voidrail keys'); "
                        + "plaintext peers can no longer connect. Needs --curve-allow, --curve-allow-dealers or "
                        + "--curve-allow-clients.")
        @Nullable Path keys;

        @Option(names = "--curve-allow", paramLabel = "DIR",
                description = "With --curve-keys: the directory of the public certificates (*.key) of the dealers and "
                        + "clients admitted; re-read when it changes.")
        @Nullable Path allow;

        @Option(names = "--curve-allow-dealers", paramLabel = "DIR",
                description = "With --curve-keys: the public certificates of peers admitted as dealers only (they "
                        + "cannot call); re-read when it changes.")
        @Nullable Path allowDealers;

        @Option(names = "--curve-allow-clients", paramLabel = "DIR",
                description = "With --curve-keys: the public certificates of peers admitted as clients only (they "
                        + "cannot register); re-read when it changes.")
        @Nullable Path allowClients;

        /** The router's CURVE settings; {@code null} for plaintext. */
        @Nullable CurveServerConfig config() {
            Map<String, @Nullable Path> lists = new LinkedHashMap<>();
            lists.put("--curve-allow", allow);
            lists.put("--curve-allow-dealers", allowDealers);
            lists.put("--curve-allow-clients", allowClients);
            lists.values().removeIf(Objects::isNull);
            if (keys == null) {
                if (!lists.isEmpty()) {
                    throw CliException.usage(lists.keySet().iterator().next()
                            + " needs --curve-keys (the router's secret certificate)");
                }
                return null;
            }
            if (lists.isEmpty()) {
                throw CliException.usage("--curve-keys needs --curve-allow DIR (or --curve-allow-dealers, "
                        + "--curve-allow-clients): the public certificates of the peers to admit");
            }
            lists.forEach((option, dir) -> {
                if (!Files.isDirectory(dir)) {
                    throw CliException.usage(option + ": no directory " + dir);
                }
            });
            return CurveServerConfig.of(loadPair(keys, "--curve-keys")).withAllowList(allow)
                    .withDealerAllowList(allowDealers).withClientAllowList(allowClients);
        }

        /** Where the router admits peers from, for its start-up lines. */
        static String describe(CurveServerConfig curve) {
            List<String> lists = new ArrayList<>();
            if (curve.allowList() != null) {
                lists.add(curve.allowList().toString());
            }
            if (curve.dealerAllowList() != null) {
                lists.add(curve.dealerAllowList() + " (dealers only)");
            }
            if (curve.clientAllowList() != null) {
                lists.add(curve.clientAllowList() + " (clients only)");
            }
            return String.join(", ", lists);
        }
    }

    /** {@code --curve-server-key} and {@code --curve-keys} of {@code voidrail dealer} and {@code voidrail client}. */
    static final class Peer {

        @Option(names = "--curve-server-key", paramLabel = "KEY_OR_FILE",
                description = "Connect with CURVE to a router with this public key: its Z85 text or its certificate "
                        + "(router.key). Needs --curve-keys.")
        @Nullable String serverKey;

        @Option(names = "--curve-keys", paramLabel = "FILE",
                description = "With --curve-server-key: this peer's secret certificate (NAME.key_secret); NAME.key "
                        + "must be in one of the router's allow-list directories (--curve-allow, or the one of its role).")
        @Nullable Path keys;

        /** This peer's CURVE settings; {@code null} for plaintext. */
        @Nullable CurveClientConfig config() {
            if (serverKey == null && keys == null) {
                return null;
            }
            if (serverKey == null || keys == null) {
                throw CliException.usage("--curve-server-key and --curve-keys go together (the router's public key "
                        + "and this peer's secret certificate)");
            }
            String routerKey = CurveKeys.isKey(serverKey) ? serverKey : loadPublicKey(Path.of(serverKey));
            return new CurveClientConfig(routerKey, loadPair(keys, "--curve-keys"));
        }

        /** The same options for a child process; only file names and the public key appear in its command line. */
        List<String> forwarded() {
            List<String> options = new ArrayList<>();
            if (serverKey != null) {
                // one argument: a Z85 key may start with "-", which a parser could take for an option
                options.add("--curve-server-key="
                        + (CurveKeys.isKey(serverKey) ? serverKey : Path.of(serverKey).toAbsolutePath().toString()));
            }
            if (keys != null) {
                options.addAll(List.of("--curve-keys", keys.toAbsolutePath().toString()));
            }
            return options;
        }
    }

    private static CurveKeys.Pair loadPair(Path file, String option) {
        try {
            return CurveKeys.loadPair(file);
        }
        catch (IllegalArgumentException | UncheckedIOException ex) {
            throw CliException.usage(option + ": " + ex.getMessage());
        }
    }

    private static String loadPublicKey(Path file) {
        try {
            return CurveKeys.loadPublicKey(file);
        }
        catch (IllegalArgumentException | UncheckedIOException ex) {
            throw CliException.usage("--curve-server-key is neither a Z85 key nor a readable certificate: "
                    + ex.getMessage());
        }
    }
}
