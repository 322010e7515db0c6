package io.voidrail.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.dashboard.Dashboard;
import io.voidrail.dashboard.DashboardServer;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code voidrail router}: binds, serves until SIGINT/SIGTERM, stops gracefully. */
@Command(name = "router", mixinStandardHelpOptions = true, sortOptions = false,
        description = { "Runs a router: it queues calls per method and hands them to dealers.",
                "Serves until Ctrl-C (SIGINT) or SIGTERM, then stops gracefully: dealers are told, waiting calls get an error." })
final class RouterCommand implements Callable<Integer> {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--mode", defaultValue = "fifo", paramLabel = "MODE", converter = ModeConverter.class,
            completionCandidates = ModeConverter.class,
            description = "${COMPLETION-CANDIDATES}. fifo: the router queues, a dealer gets a call when it has a free "
                    + "slot (default); load_balance: each call goes at once to the least-loaded dealer.")
    RouterMode mode = RouterMode.FIFO;

    @Option(names = "--heartbeat", defaultValue = "10", paramLabel = "SECONDS",
            description = "Silence after which a dealer counts as inactive, and a Java dealer running calls as lost "
                    + "(default: ${DEFAULT-VALUE}).")
    double heartbeat = 10;

    @Option(names = "--startup-grace", defaultValue = "5", paramLabel = "SECONDS",
            description = "After start, how long a call for a method no dealer has registered waits for dealers to "
                    + "arrive before NOT_FOUND; later it fails at once (default: ${DEFAULT-VALUE}).")
    double startupGrace = 5;

    @Option(names = "--require-auth",
            description = "Require API keys from dealers and clients (also VOIDRAIL_REQUIRE_AUTH=1|true|yes).")
    boolean requireAuth;

    @Option(names = "--dealer-keys", paramLabel = "KEY", split = ",",
            description = "A key dealers may use; repeat or separate with commas (VOIDRAIL_DEALER_API_KEYS adds more).")
    List<String> dealerKeys = new ArrayList<>();

    @Option(names = "--client-keys", paramLabel = "KEY", split = ",",
            description = "A key clients may use; repeat or separate with commas (VOIDRAIL_CLIENT_API_KEYS adds more).")
    List<String> clientKeys = new ArrayList<>();

    @Option(names = "--generate-keys",
            description = "Print a new dealer key, client key and the router command line that uses them, then exit.")
    boolean generateKeys;

    @Option(names = "--dashboard-port", paramLabel = "PORT",
            description = "Also serve the dashboard (a live web page of the bus) on this HTTP port; 0 picks a free one.")
    Integer dashboardPort;

    @Option(names = "--dashboard-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Where the dashboard listens (default: ${DEFAULT-VALUE}). It has no login: "
                    + "bind another address only behind a proxy that has one.")
    String dashboardHost = "127.0.0.1";

    @Mixin
    CurveOptions.Router curve = new CurveOptions.Router();

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @ParentCommand
    VoidRailCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        connection.validate(spec, true);
        if (dashboardPort != null && (dashboardPort < 0 || dashboardPort > 65535)) {
            throw new ParameterException(spec.commandLine(), "--dashboard-port must be 0 to 65535, was " + dashboardPort);
        }
        if (!(heartbeat > 0)) {
            throw new ParameterException(spec.commandLine(), "--heartbeat must be positive, was " + heartbeat);
        }
        if (!(startupGrace >= 0)) {
            throw new ParameterException(spec.commandLine(), "--startup-grace must not be negative, was " + startupGrace);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (generateKeys) {
            printNewKeys(out);
            return 0;
        }
        logging.apply(LoggingOptions.Level.INFO, parent.debug);
        ServiceRouter.Builder builder = ServiceRouter.builder()
                .fromEnvironment()
                .address(connection.address())
                .mode(mode)
                .heartbeatTimeout(seconds(heartbeat))
                .startupGrace(seconds(startupGrace))
                .dealerApiKeys(dealerKeys)
                .clientApiKeys(clientKeys)
                .curve(curve.config());
        if (requireAuth) {
            builder.requireAuth(true);
        }
        ServiceRouter router = builder.build();
        // installed before binding so that a Ctrl-C during start still stops the router gracefully
        StopSignal stop = StopSignal.install(Duration.ofSeconds(10));
        try {
            router.start();
        }
        catch (RuntimeException ex) {
            stop.finished();
            throw ex;
        }
        Dashboard dashboard = null;
        DashboardServer dashboardServer = null;
        try {
            if (dashboardPort != null) {
                dashboard = Dashboard.forRouter(router).build().start();
                try {
                    dashboardServer = DashboardServer.start(dashboard, dashboardHost, dashboardPort, "/voidrail");
                }
                catch (UncheckedIOException ex) {
                    throw new CliException(CliException.FAILED, ex.getMessage(), ex);
                }
            }
            describe(router, out, dashboardServer == null ? null : dashboardServer.url());
            stop.await(Duration.ofMillis(Long.MAX_VALUE));
            out.println("Stopping the router (" + stop.reason() + ")");
        }
        finally {
            if (dashboardServer != null) {
                dashboardServer.close();
            }
            if (dashboard != null) {
                dashboard.close();
            }
            router.close();
            out.println("Router stopped");
            out.flush();
            stop.finished();
        }
        return 0;
    }

    private void describe(ServiceRouter router, PrintWriter out, @Nullable String dashboardUrl) {
        ServiceRouter.Settings settings = router.settings();
        out.println("VoidRail router listening on " + router.address());
        out.println("  mode: " + router.mode().wireName());
        out.println("  heartbeat timeout: " + plain(heartbeat) + " s");
        out.println("  start-up grace: " + plain(startupGrace) + " s");
        out.println("  auth: " + (settings.requireAuth()
                ? "required (" + settings.dealerKeys().size() + " dealer key(s), " + settings.clientKeys().size()
                        + " client key(s))"
                : "off"));
        out.println("  encryption: " + (settings.curve() == null ? "none (plaintext)"
                : "CURVE, public key " + settings.curve().keys().publicKey() + ", peers admitted from "
                        + CurveOptions.Router.describe(settings.curve())));
        if (settings.requireAuth() && settings.dealerKeys().isEmpty()) {
            out.println("  warning: auth is required but no dealer key is set: no dealer can register");
        }
        if (settings.requireAuth() && settings.clientKeys().isEmpty()) {
            out.println("  warning: auth is required but no client key is set: no client can call");
        }
        if (dashboardUrl != null) {
            out.println("  dashboard: " + dashboardUrl);
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private void printNewKeys(PrintWriter out) {
        String dealerKey = ApiKeyManager.generateKey("dealer");
        String clientKey = ApiKeyManager.generateKey("client");
        List<String> command = new ArrayList<>(List.of("voidrail", "router", "--host", connection.host, "--port",
                String.valueOf(connection.port), "--mode", mode.wireName(), "--heartbeat", plain(heartbeat),
                "--require-auth"));
        for (String key : concat(dealerKeys, dealerKey)) {
            command.addAll(List.of("--dealer-keys", key));
        }
        for (String key : concat(clientKeys, clientKey)) {
            command.addAll(List.of("--client-keys", key));
        }
        out.println("Dealer key: " + dealerKey);
        out.println("Client key: " + clientKey);
        out.println();
        out.println("Start the router with:");
        out.println("  " + String.join(" ", command.stream().map(RouterCommand::shellQuote).toList()));
        out.println();
        out.println("Dealers connect with --api-key " + dealerKey + " (or VOIDRAIL_API_KEY),");
        out.println("clients with --api-key " + clientKey + " (or VOIDRAIL_API_KEY).");
        out.flush();
    }

    private static List<String> concat(List<String> given, String generated) {
        List<String> all = new ArrayList<>(given);
        all.add(generated);
        return all;
    }

    static String shellQuote(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code 30} rather than {@code 30.0}, {@code 0.5} as is. */
    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1_000_000_000d));
    }

    /** {@code fifo}, {@code load_balance} or {@code load-balance}, any case; the wire names are the candidates. */
    static final class ModeConverter implements ITypeConverter<RouterMode>, Iterable<String> {

        @Override
        public RouterMode convert(String value) {
            try {
                return RouterMode.parse(value);
            }
            catch (IllegalArgumentException ex) {
                // the message lists the valid modes: picocli shows it as it is
                throw new TypeConversionException(ex.getMessage());
            }
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(RouterMode.values()).map(RouterMode::wireName).iterator();
        }
    }
}
