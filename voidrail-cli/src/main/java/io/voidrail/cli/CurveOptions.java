package io.voidrail.cli;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import picocli.CommandLine.Option;

/** CURVE options: the router's ({@link Router}) and those of dealers and clients ({@link Peer}). Keys come from {@code voidrail keys}. */
final class CurveOptions {

    private CurveOptions() {
    }

    /** {@code --curve-keys} and {@code --curve-allow} of {@code voidrail router}. */
    static final class Router {

        @Option(names = "--curve-keys", paramLabel = "FILE",
                description = "Encrypt with CURVE using this secret certificate (NAME.key_secret from 'voidrail keys'); "
                        + "plaintext peers can no longer connect. Needs --curve-allow.")
        @Nullable Path keys;

        @Option(names = "--curve-allow", paramLabel = "DIR",
                description = "With --curve-keys: the directory of the public certificates (*.key) of the dealers and "
                        + "clients admitted; re-read when it changes.")
        @Nullable Path allow;

        /** The router's CURVE settings; {@code null} for plaintext. */
        @Nullable CurveServerConfig config() {
            if (keys == null) {
                if (allow != null) {
                    throw CliException.usage("--curve-allow needs --curve-keys (the router's secret certificate)");
                }
                return null;
            }
            if (allow == null) {
                throw CliException.usage("--curve-keys needs --curve-allow DIR: the public certificates of the peers "
                        + "to admit");
            }
            if (!Files.isDirectory(allow)) {
                throw CliException.usage("--curve-allow: no directory " + allow);
            }
            return CurveServerConfig.of(loadPair(keys, "--curve-keys")).withAllowList(allow);
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
                        + "must be in the router's --curve-allow directory.")
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
                options.addAll(List.of("--curve-server-key",
                        CurveKeys.isKey(serverKey) ? serverKey : Path.of(serverKey).toAbsolutePath().toString()));
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
