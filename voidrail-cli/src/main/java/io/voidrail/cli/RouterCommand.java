package io.voidrail.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.router.RouterMode;
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

    @Option(names = "--heartbeat", defaultValue = "30", paramLabel = "SECONDS",
            description = "Silence after which a dealer counts as inactive (default: ${DEFAULT-VALUE}).")
    double heartbeat = 30;

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

    @Mixin
    LoggingOptions logging = new LoggingOptions();

    @ParentCommand
    VoidRailCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        connection.validate(spec, true);
        if (!(heartbeat > 0)) {
            throw new ParameterException(spec.commandLine(), "--heartbeat must be positive, was " + heartbeat);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (generateKeys) {
            printNewKeys(out);
            return 0;
        }
        logging.apply(LoggingOptions.Level.INFO, parent.debug);
        ServiceRouter.Builder builder = ServiceRouter.builder()
                .address(connection.address())
                .mode(mode)
                .heartbeatTimeout(seconds(heartbeat))
                .dealerApiKeys(dealerKeys)
                .clientApiKeys(clientKeys);
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
        try {
            describe(router, out);
            stop.await(Duration.ofMillis(Long.MAX_VALUE));
            out.println("Stopping the router (" + stop.reason() + ")");
        }
        finally {
            router.close();
            out.println("Router stopped");
            out.flush();
            stop.finished();
        }
        return 0;
    }

    private void describe(ServiceRouter router, PrintWriter out) {
        ServiceRouter.Settings settings = router.settings();
        out.println("VoidRail router listening on " + router.address());
        out.println("  mode: " + router.mode().wireName());
        out.println("  heartbeat timeout: " + plain(heartbeat) + " s");
        out.println("  auth: " + (settings.requireAuth()
                ? "required (" + settings.dealerKeys().size() + " dealer key(s), " + settings.clientKeys().size()
                        + " client key(s))"
                : "off"));
        if (settings.requireAuth() && settings.dealerKeys().isEmpty()) {
            out.println("  warning: auth is required but no dealer key is set: no dealer can register");
        }
        if (settings.requireAuth() && settings.clientKeys().isEmpty()) {
            out.println("  warning: auth is required but no client key is set: no client can call");
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
